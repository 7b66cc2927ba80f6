"""Who may reach an authoring route at all, decided before the body is read; the use
cases still check (``application/access.py``: ``ensure_author``, then ownership)."""

from __future__ import annotations

from cmh.kernel.auth.principal import Role
from cmh.kernel.web.guards import requires_role

AUTHORS_ONLY = requires_role(Role.INSTRUCTOR, Role.ADMIN, code="not_an_author")
