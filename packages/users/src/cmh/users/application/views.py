"""What the use cases answer: read models, free of secrets, whose fields are the public
JSON fields of the Users API (the controllers return them as the response body).

The internal queries (entitlements, preferences, tier, service tokens) answer the
``cmh.contracts.http.users`` Structs instead, which their clients decode."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from cmh.users.domain.audit import AuditEntry
from cmh.users.domain.refresh_token import RefreshToken
from cmh.users.domain.user import User

SkillLevelName = Literal["beginner", "intermediate", "advanced"]


class AccountView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    display_name: str
    roles: list[str]
    tier: str
    email_verified: bool


class UserView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    display_name: str
    roles: list[str]
    tier: str
    email_verified: bool
    status: str
    locale: str
    timezone: str
    interests: list[str]
    skill_level: SkillLevelName | None
    created_at: datetime


class UserPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[UserView]
    next_cursor: str | None


class AuditEntryView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    action: str
    at: datetime
    actor_id: str | None
    detail: dict[str, str]


class SessionView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    session_id: str
    issued_at: datetime
    expires_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None


class DataExport(msgspec.Struct, frozen=True, kw_only=True):
    user: UserView
    audit_log: list[AuditEntryView]
    sessions: list[SessionView]


class Introspection(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """RFC 7662 section 2.2: an inactive token gets ``{"active": false}`` and nothing else,
    whatever was wrong with it."""

    active: bool
    sub: str | None = None
    roles: list[str] | None = None
    tier: str | None = None
    exp: int | None = None
    iat: int | None = None
    iss: str | None = None
    aud: str | None = None
    jti: str | None = None
    token_type: str | None = None

    @classmethod
    def inactive(cls) -> Introspection:
        return cls(active=False)


class TokenPair(msgspec.Struct, frozen=True, kw_only=True):
    """A session opened or continued: a short-lived access token and a rotating refresh
    token (RFC 6749 section 5.1)."""

    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - a token type name, not a secret


class SsoStart(msgspec.Struct, frozen=True, kw_only=True):
    authorization_url: str
    state: str
    expires_in: int


class LinkRequired(msgspec.Struct, frozen=True, kw_only=True):
    """The identity provider's email belongs to a password account: signing in needs that
    account's password once (``ConfirmSsoLink``) before the two are linked."""

    link_token: str
    expires_in: int


def _roles(user: User) -> list[str]:
    return sorted(role.value for role in user.roles)


def account_view(user: User) -> AccountView:
    return AccountView(
        id=user.id,
        email=user.email.value,
        display_name=user.display_name.value,
        roles=_roles(user),
        tier=user.tier.value,
        email_verified=user.email_verified,
    )


def user_view(user: User) -> UserView:
    profile = user.profile
    return UserView(
        id=user.id,
        email=user.email.value,
        display_name=user.display_name.value,
        roles=_roles(user),
        tier=user.tier.value,
        email_verified=user.email_verified,
        status=user.status.value,
        locale=profile.locale,
        timezone=profile.timezone,
        interests=list(profile.interests),
        skill_level=profile.skill_level.value if profile.skill_level else None,
        created_at=user.created_at,
    )


def audit_entry_view(entry: AuditEntry) -> AuditEntryView:
    return AuditEntryView(
        id=entry.id,
        action=entry.action.value,
        at=entry.at,
        actor_id=entry.actor_id,
        detail=dict(entry.detail),
    )


def session_view(token: RefreshToken) -> SessionView:
    return SessionView(
        id=token.id,
        session_id=token.family_id,
        issued_at=token.issued_at,
        expires_at=token.expires_at,
        rotated_at=token.rotated_at,
        revoked_at=token.revoked_at,
    )
