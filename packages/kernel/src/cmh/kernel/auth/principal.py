"""Who is calling: the verified subject of an access token."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Role(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class Principal(msgspec.Struct, frozen=True):
    user_id: str
    roles: frozenset[str]
    tier: str = "free"
    token_id: str = ""
    expires_at: int = 0  # the token's `exp` (epoch seconds); 0 when not from a token
    issued_at: int = 0  # the token's `iat` (epoch seconds); 0 when not from a token

    def has_role(self, role: Role) -> bool:
        return role.value in self.roles

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    def may_act_for(self, user_id: str) -> bool:
        """Object-level rule shared by every context: yourself, or an admin."""
        return self.user_id == user_id or self.is_admin
