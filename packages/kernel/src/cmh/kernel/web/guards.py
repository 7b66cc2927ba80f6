"""Role checks as Litestar guards. A guard runs before Litestar reads the request body, so
a caller without the role gets 403 and learns nothing of the body's schema (a 422 would
tell them). The use cases keep their own checks: the guard is the first of two.

    @post("", guards=[requires_role(Role.INSTRUCTOR, Role.ADMIN, code="not_an_author")])
"""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.errors import Forbidden


def requires_role(*roles: Role | str, code: str = "role_required") -> Guard:
    """Let through a caller holding any of ``roles`` (``Role`` members, or another role a
    token carries, like a platform service's); 401 without a valid token (as the handler's
    own ``Principal`` would answer), 403 ``code`` with none of them."""
    if not roles:
        raise ValueError("requires_role needs at least one role")
    wanted = frozenset(str(role) for role in roles)
    detail = f"only {' and '.join(f'{role}s' for role in roles)} may do this"

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        # The request's dishka container: the same Principal the handler gets, resolved once.
        container: AsyncContainer = connection.state.dishka_container
        principal = await container.get(Principal)
        if principal.roles.isdisjoint(wanted):
            raise Forbidden(detail, code=code)

    return guard
