"""The Users service's internal HTTP API (``/internal/v1/users``), used by payments,
courses, labs, analytics and notifications. A client decodes these same Structs."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

TierName = Literal["free", "pro", "team"]
CourseLevelName = Literal["beginner", "intermediate", "advanced"]
SkillLevelName = Literal["beginner", "intermediate", "advanced"]


class ChangeTierRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``PUT /internal/v1/users/{id}/tier`` with a service token (role ``service``)."""

    tier: TierName
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TierResponse(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    tier: TierName


class EntitlementsResponse(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /internal/v1/users/{id}/entitlements``."""

    user_id: str
    tier: TierName
    roles: list[str]
    course_levels: list[CourseLevelName]
    lab_hours_per_month: int
    active: bool


class PreferencesResponse(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /internal/v1/users/{id}/preferences``."""

    user_id: str
    locale: str
    timezone: str
    interests: list[str]
    skill_level: SkillLevelName | None = None


MAX_LOOKUP_EMAILS = 20


class UserLookupRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``POST /internal/v1/users/lookup``: which accounts these email addresses name (the
    forum's @mentions). Addresses that are not valid or name no account are left out."""

    emails: Annotated[list[str], msgspec.Meta(max_length=MAX_LOOKUP_EMAILS)]


class UserLookupResponse(msgspec.Struct, frozen=True, kw_only=True):
    """Each given address (as given) that names an active account, to its user id."""

    users: dict[str, str]


class ServiceTokenRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``POST /internal/v1/auth/token``: OAuth 2.0 client credentials of a platform service."""

    client_id: Annotated[
        str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9-]*$")
    ]
    client_secret: Annotated[str, msgspec.Meta(min_length=1, max_length=512)]


class ServiceTokenResponse(msgspec.Struct, frozen=True, kw_only=True):
    access_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - a token type name, not a secret


class Administrator(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    email: str
    display_name: str
    locale: str


class AdministratorsResponse(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /internal/v1/users/administrators`` (a service token): every active account
    with the admin role (notifications tells them of the platform's alerts)."""

    administrators: list[Administrator]
