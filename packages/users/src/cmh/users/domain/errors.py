"""Expected failures of the Users context, each with the stable code clients switch on."""

from __future__ import annotations

from cmh.kernel.errors import Conflict, Forbidden, InvalidInput, Unauthenticated


class EmailTaken(Conflict):
    code = "email_taken"


class WeakPassword(InvalidInput):
    code = "weak_password"


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"


class AccountDisabled(Forbidden):
    code = "account_disabled"


class RefreshTokenInvalid(Unauthenticated):
    code = "refresh_token_invalid"


class RefreshTokenExpired(Unauthenticated):
    code = "refresh_token_expired"


class RefreshTokenRevoked(Unauthenticated):
    code = "refresh_token_revoked"


class RefreshTokenReused(Unauthenticated):
    code = "refresh_token_reused"
