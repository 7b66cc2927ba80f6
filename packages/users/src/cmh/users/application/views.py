"""What the queries return: plain read models, free of secrets."""

from __future__ import annotations

from dataclasses import dataclass

from cmh.users.application.ports import AccessTokenClaims
from cmh.users.domain.audit import AuditEntry
from cmh.users.domain.profile import SkillLevel
from cmh.users.domain.refresh_token import RefreshToken
from cmh.users.domain.tier import CourseLevel, Tier
from cmh.users.domain.user import User


@dataclass(frozen=True, slots=True)
class UserPage:
    items: list[User]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class UserEntitlements:
    user_id: str
    tier: Tier
    roles: frozenset[str]
    course_levels: frozenset[CourseLevel]
    lab_hours_per_month: int
    active: bool


@dataclass(frozen=True, slots=True)
class UserPreferences:
    user_id: str
    locale: str
    timezone: str
    interests: tuple[str, ...]
    skill_level: SkillLevel | None


@dataclass(frozen=True, slots=True)
class DataExport:
    user: User
    audit_log: list[AuditEntry]
    sessions: list[RefreshToken]


@dataclass(frozen=True, slots=True)
class Introspection:
    """RFC 7662: ``active`` False says nothing more, whatever was wrong with the token."""

    active: bool
    claims: AccessTokenClaims | None = None
    roles: frozenset[str] = frozenset()
    tier: str | None = None

    @classmethod
    def inactive(cls) -> Introspection:
        return cls(active=False)
