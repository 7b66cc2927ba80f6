"""``/api/v1/auth``: registration, email verification, password login, refresh, logout,
password reset, token introspection and the public keys (single sign-on: ``sso.py``)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import JSONBody

from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import PublishedKeys
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.kernel.web.serving import client_address
from cmh.users.api.schemas import (
    IntrospectRequest,
    LoginRequest,
    PasswordResetConfirmRequest,
    PasswordResetRequest,
    RefreshRequest,
    RegisterRequest,
    VerifyEmailRequest,
)
from cmh.users.api.security import BEARER
from cmh.users.application.introspect_token import IntrospectToken
from cmh.users.application.log_in import LogIn
from cmh.users.application.log_out import LogOut
from cmh.users.application.refresh_tokens import RefreshTokens
from cmh.users.application.register_user import RegisterUser
from cmh.users.application.request_password_reset import RequestPasswordReset
from cmh.users.application.resend_verification import ResendVerification
from cmh.users.application.reset_password import ResetPassword
from cmh.users.application.verify_email import VerifyEmail
from cmh.users.application.views import AccountView, Introspection, TokenPair

# Token responses must not be stored by browsers or proxies (RFC 6749 section 5.1).
NO_STORE = CacheControlHeader(no_store=True)
# The public keys change rarely and verifiers refetch them on an unknown `kid`: browsers,
# proxies and the frontend may keep them for a while instead of asking on every page.
JWKS_CACHE = CacheControlHeader(public=True, max_age=300)


def _accepted() -> Response[bytes]:
    # An empty 202, not the JSON ``null`` Litestar would render for ``None``.
    return Response(b"", status_code=202)


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/register", status_code=201, operation_id="auth_register", responses=problem_responses(409)
    )
    @inject
    async def register(
        self, data: JSONBody[RegisterRequest], register: FromDishka[RegisterUser]
    ) -> AccountView:
        return await register.execute(
            email=data.email, password=data.password, display_name=data.display_name
        )

    @post("/verify-email", status_code=204, operation_id="auth_verify_email")
    @inject
    async def verify_email(
        self, data: JSONBody[VerifyEmailRequest], verify: FromDishka[VerifyEmail]
    ) -> None:
        await verify.execute(token=data.token)

    @post(
        "/verify-email/resend",
        status_code=202,
        operation_id="auth_resend_verification",
        security=BEARER,
    )
    @inject
    async def resend_verification(
        self, caller: FromDishka[Principal], resend: FromDishka[ResendVerification]
    ) -> Response[bytes]:
        await resend.execute(caller)
        return _accepted()

    @post(
        "/login",
        status_code=200,
        operation_id="auth_login",
        responses=problem_responses(401, 403),
        cache_control=NO_STORE,
    )
    @inject
    async def log_in(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginRequest],
        log_in: FromDishka[LogIn],
    ) -> TokenPair:
        return await log_in.execute(
            email=data.email, password=data.password, client_address=client_address(request.scope)
        )

    @post(
        "/refresh",
        status_code=200,
        operation_id="auth_refresh",
        responses=problem_responses(401, 403),
        cache_control=NO_STORE,
    )
    @inject
    async def refresh(
        self, data: JSONBody[RefreshRequest], refresh: FromDishka[RefreshTokens]
    ) -> TokenPair:
        return await refresh.execute(refresh_token=data.refresh_token)

    @post("/logout", status_code=204, operation_id="auth_logout")
    @inject
    async def log_out(self, data: JSONBody[RefreshRequest], log_out: FromDishka[LogOut]) -> None:
        await log_out.execute(refresh_token=data.refresh_token)

    @post("/password-reset", status_code=202, operation_id="auth_password_reset")
    @inject
    async def password_reset(
        self, data: JSONBody[PasswordResetRequest], request_reset: FromDishka[RequestPasswordReset]
    ) -> Response[bytes]:
        await request_reset.execute(email=data.email)
        return _accepted()

    @post("/password-reset/confirm", status_code=204, operation_id="auth_password_reset_confirm")
    @inject
    async def password_reset_confirm(
        self, data: JSONBody[PasswordResetConfirmRequest], reset: FromDishka[ResetPassword]
    ) -> None:
        await reset.execute(token=data.token, new_password=data.new_password)

    @post(
        "/introspect",
        status_code=200,
        operation_id="auth_introspect",
        responses=problem_responses(403),
        cache_control=NO_STORE,
        security=BEARER,
        description="For platform services only: a client-credentials token (role `service`).",
    )
    @inject
    async def introspect(
        self,
        data: JSONBody[IntrospectRequest],
        caller: FromDishka[Principal],
        introspect: FromDishka[IntrospectToken],
    ) -> Introspection:
        return await introspect.execute(caller, token=data.token)

    @get("/jwks", operation_id="auth_jwks", cache_control=JWKS_CACHE)
    @inject
    async def jwks(self, keys: FromDishka[PublishedKeys]) -> dict[str, Any]:
        return keys.jwks()


class WellKnownController(Controller):
    path = "/.well-known"
    tags = ["auth"]

    @get("/jwks.json", operation_id="well_known_jwks", cache_control=JWKS_CACHE)
    @inject
    async def jwks(self, keys: FromDishka[PublishedKeys]) -> dict[str, Any]:
        return keys.jwks()
