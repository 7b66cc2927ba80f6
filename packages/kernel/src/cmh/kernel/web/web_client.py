"""Serving the built web client (``apps/web/dist``) at ``/``, on the same origin as the API.

Vite names every asset under ``assets/`` after its content hash, so those files are
cached for a year as immutable; ``index.html`` (which names the current hashes) is
revalidated on every load. Any other path answers ``index.html`` so the client's own
routes (``/courses/...``, ``/billing``, ``/verify-email``) load on a reload or from a
mail link, except paths under a prefix the app serves itself (``/api``, ``/schema``,
``/health``, ``/media``, ...): there an unknown path stays a 404 problem, never a page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import structlog
from litestar import MediaType, Request, Router, route
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.response import File
from litestar.static_files import create_static_files_router
from litestar.types import Method

log = structlog.get_logger("cmh.http")

# Never the client's, whether or not a route below them exists in this app.
RESERVED_PREFIXES = frozenset({"api", "internal", "ws", "graphql", "schema", "health", "metrics"})
# index.html names the current hashes: a browser asks again on every load (ETag, 304).
_REVALIDATE = {"Cache-Control": "no-cache"}
_IMMUTABLE = CacheControlHeader(public=True, max_age=31_536_000, immutable=True)
_ANY_METHOD: list[Method] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]
_STATE_KEY = "cmh_web_client_reserved"


def _reserved(request: Request[Any, Any, Any]) -> frozenset[str]:
    """First path segments of every other route of the app: computed once."""
    reserved = request.app.state.get(_STATE_KEY)
    if reserved is None:
        segments = {
            path.strip("/").split("/", 1)[0]
            for app_route in request.app.routes
            if (path := app_route.path) and "{" not in path.split("/", 2)[1]
        }
        reserved = frozenset(segments - {""}) | RESERVED_PREFIXES
        request.app.state[_STATE_KEY] = reserved
    return frozenset(reserved)


def web_client_routes(dist_dir: str | Path) -> list[Any]:
    """The client's routes, or none (with a warning saying what to do) if it is not built."""
    dist = Path(dist_dir).resolve()
    index = dist / "index.html"
    if not index.is_file():
        log.warning(
            "web_client.missing",
            detail=f"{index} is not built: run `bash apps/web/build.sh` (needs Node.js and npm)",
        )
        return []

    @route(["/", "/{path:path}"], http_method=_ANY_METHOD, status_code=200, include_in_schema=False)
    async def web_client_page(request: Request[Any, Any, Any]) -> File:
        path = request.path_params.get("path", "").strip("/")
        first = path.split("/", 1)[0]
        if request.method not in {"GET", "HEAD"} or first in _reserved(request):
            raise NotFoundException()
        if first and "/" not in path and first != index.name and (dist / first).is_file():
            return File(dist / first, content_disposition_type="inline", headers=_REVALIDATE)
        if "." in path.rsplit("/", 1)[-1]:  # a missing file, not a client route
            raise NotFoundException()
        return File(
            index, content_disposition_type="inline", media_type=MediaType.HTML, headers=_REVALIDATE
        )

    assets: Router = create_static_files_router(
        path="/assets",
        directories=[dist / "assets"],
        name="web_client_assets",
        cache_control=_IMMUTABLE,
        include_in_schema=False,
    )
    return [assets, web_client_page]
