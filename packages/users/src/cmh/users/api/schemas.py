"""Request and response bodies of the public Users API. ``Meta`` constraints make bad
input a 422 naming the field before any use case runs; the domain checks the rest."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from cmh.users.domain.profile import LOCALE_PATTERN

EmailField = Annotated[str, Meta(min_length=3, max_length=254, examples=["ada@example.com"])]
PasswordField = Annotated[str, Meta(min_length=1, max_length=256)]
DisplayNameField = Annotated[str, Meta(min_length=1, max_length=80, examples=["Ada Lovelace"])]
SecretField = Annotated[str, Meta(min_length=1, max_length=512)]
LocaleField = Annotated[str, Meta(max_length=35, pattern=LOCALE_PATTERN, examples=["en-GB"])]
TimezoneField = Annotated[str, Meta(min_length=1, max_length=64, examples=["Europe/Paris"])]
InterestField = Annotated[str, Meta(min_length=1, max_length=40)]
SkillLevelName = Literal["beginner", "intermediate", "advanced"]
RoleName = Literal["learner", "instructor", "admin"]


class RegisterRequest(msgspec.Struct, frozen=True, kw_only=True):
    email: EmailField
    password: PasswordField
    display_name: DisplayNameField


class AccountResponse(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    display_name: str
    roles: list[str]
    tier: str
    email_verified: bool


class VerifyEmailRequest(msgspec.Struct, frozen=True, kw_only=True):
    token: SecretField


class LoginRequest(msgspec.Struct, frozen=True, kw_only=True):
    email: EmailField
    password: PasswordField


class TokenPairResponse(msgspec.Struct, frozen=True, kw_only=True):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - a token type name, not a secret


class RefreshRequest(msgspec.Struct, frozen=True, kw_only=True):
    refresh_token: SecretField


class PasswordResetRequest(msgspec.Struct, frozen=True, kw_only=True):
    email: EmailField


class PasswordResetConfirmRequest(msgspec.Struct, frozen=True, kw_only=True):
    token: SecretField
    new_password: PasswordField


class SsoCallbackRequest(msgspec.Struct, frozen=True, kw_only=True):
    code: Annotated[str, Meta(min_length=1, max_length=2048)]
    redirect_uri: Annotated[str, Meta(min_length=1, max_length=2048, pattern=r"^https?://")]


class IntrospectRequest(msgspec.Struct, frozen=True, kw_only=True):
    token: Annotated[str, Meta(min_length=1, max_length=8192)]
    token_type_hint: str | None = None


class IntrospectionResponse(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """RFC 7662 section 2.2; an inactive token gets ``{"active": false}`` and nothing else."""

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


class UserResponse(msgspec.Struct, frozen=True, kw_only=True):
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


class UpdateProfileRequest(msgspec.Struct, frozen=True, kw_only=True):
    """Only the fields sent change."""

    display_name: DisplayNameField | UnsetType = UNSET
    locale: LocaleField | UnsetType = UNSET
    timezone: TimezoneField | UnsetType = UNSET
    interests: Annotated[list[InterestField], Meta(max_length=20)] | UnsetType = UNSET
    skill_level: SkillLevelName | UnsetType = UNSET


class AuditEntryResponse(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    action: str
    at: datetime
    actor_id: str | None
    detail: dict[str, str]


class SessionResponse(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    session_id: str
    issued_at: datetime
    expires_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None


class DataExportResponse(msgspec.Struct, frozen=True, kw_only=True):
    user: UserResponse
    audit_log: list[AuditEntryResponse]
    sessions: list[SessionResponse]


class UserPageResponse(msgspec.Struct, frozen=True, kw_only=True):
    items: list[UserResponse]
    next_cursor: str | None


class AdminUpdateUserRequest(msgspec.Struct, frozen=True, kw_only=True):
    roles: Annotated[list[RoleName], Meta(min_length=1, max_length=3)] | UnsetType = UNSET
    status: Literal["active", "disabled"] | UnsetType = UNSET
