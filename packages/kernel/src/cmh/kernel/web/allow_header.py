"""``Allow`` on OPTIONS lists every method of the resource.

Litestar answers OPTIONS itself, but for a path-typed parameter (``/media/{key:path}``) whose
methods sit on several handlers it lists only the first handler's methods. The answer is
corrected from the app's routes, grouped by path template.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope


@cache
def _methods_by_path(app: Litestar) -> dict[str, str]:
    # Cached per app on the first OPTIONS request, when every route is registered.
    methods: dict[str, set[str]] = defaultdict(set)
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            methods[route.path_format].update(route.methods)
    return {path: ", ".join(sorted(found)) for path, found in methods.items()}


async def correct_allow_header(message: Message, scope: Scope) -> None:
    """A ``before_send`` hook."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    allowed = _methods_by_path(scope["litestar_app"]).get(scope.get("path_template", ""))
    headers = MutableScopeHeaders.from_message(message)
    if allowed and "allow" in headers:
        headers["Allow"] = allowed
