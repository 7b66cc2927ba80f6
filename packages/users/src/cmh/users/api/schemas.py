"""Request bodies of the public Users API (responses are the application's read models,
``cmh.users.application.views``). ``Meta`` constraints make bad input a 422 naming the
field before any use case runs; the domain checks the rest."""

from __future__ import annotations

import zoneinfo
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from cmh.users.application.views import SkillLevelName
from cmh.users.domain.password import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from cmh.users.domain.profile import LOCALE_PATTERN

EmailField = Annotated[str, Meta(min_length=3, max_length=254, examples=["ada@example.com"])]
PasswordField = Annotated[str, Meta(min_length=1, max_length=256)]
# A password being chosen: the policy's length rules are in the schema; the rest (two kinds
# of characters, not the email) is checked by the domain and answered 422 `weak_password`.
NewPasswordField = Annotated[
    str,
    Meta(
        min_length=MIN_PASSWORD_LENGTH,
        max_length=MAX_PASSWORD_LENGTH,
        description="At least two kinds of characters (lower, upper, digits, symbols); "
        "not the email address.",
    ),
]
DisplayNameField = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=80,
        examples=["Ada Lovelace"],
        description="Visible characters only: no control, format, private-use or surrogate "
        "code points (Unicode Cc, Cf, Co, Cs); not only spaces.",
    ),
]
SecretField = Annotated[str, Meta(min_length=1, max_length=512)]
LocaleField = Annotated[str, Meta(max_length=35, pattern=LOCALE_PATTERN, examples=["en-GB"])]
# The schema lists the IANA zones this server knows, so clients can offer exactly those.
TimezoneField = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=64,
        examples=["Europe/Paris"],
        extra_json_schema={"enum": sorted(zoneinfo.available_timezones())},
    ),
]
InterestField = Annotated[str, Meta(min_length=1, max_length=40)]
RoleName = Literal["learner", "instructor", "admin"]


class RegisterRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    email: EmailField
    password: NewPasswordField
    display_name: DisplayNameField


class VerifyEmailRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    token: SecretField


class LoginRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    email: EmailField
    password: PasswordField


class RefreshRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    refresh_token: SecretField


class PasswordResetRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    email: EmailField


class PasswordResetConfirmRequest(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True
):
    token: SecretField
    new_password: NewPasswordField


class IntrospectRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    token: Annotated[str, Meta(min_length=1, max_length=8192)]
    token_type_hint: str | None = None


class UpdateProfileRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Only the fields sent change."""

    display_name: DisplayNameField | UnsetType = UNSET
    locale: LocaleField | UnsetType = UNSET
    timezone: TimezoneField | UnsetType = UNSET
    interests: Annotated[list[InterestField], Meta(max_length=20)] | UnsetType = UNSET
    skill_level: SkillLevelName | UnsetType = UNSET


class AdminUpdateUserRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    roles: Annotated[list[RoleName], Meta(min_length=1, max_length=3)] | UnsetType = UNSET
    status: Literal["active", "disabled"] | UnsetType = UNSET
