"""Who may reach a route at all, decided before anything is read; the use cases still
check (``application/access.py``)."""

from __future__ import annotations

from cmh.kernel.auth.principal import Role
from cmh.kernel.web.guards import requires_role

INSTRUCTORS_ONLY = requires_role(Role.INSTRUCTOR, Role.ADMIN, code="not_an_instructor")
ADMINS_ONLY = requires_role(Role.ADMIN, code="admin_only")
BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
