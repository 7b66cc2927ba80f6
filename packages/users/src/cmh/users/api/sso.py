"""``/api/v1/auth/sso``: single sign-on with the OAuth 2.0 authorization code flow, PKCE
(S256) and ``state``: start an attempt, finish it with the provider's code, and confirm
a link to an account that already used the identity's address."""

from __future__ import annotations

from typing import Any, cast

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, post
from litestar.datastructures import CacheControlHeader
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody

from cmh.kernel.web.openapi_problems import PROBLEM_JSON, problem_responses
from cmh.kernel.web.problems import problem
from cmh.kernel.web.serving import client_address
from cmh.users.api.sso_schemas import (
    SsoCallbackRequest,
    SsoLinkRequest,
    SsoLinkRequiredProblem,
    SsoStartRequest,
)
from cmh.users.application.confirm_sso_link import ConfirmSsoLink
from cmh.users.application.sso_log_in import SsoLogIn
from cmh.users.application.start_sso import StartSso
from cmh.users.application.views import LinkRequired, SsoStart, TokenPair

# Secrets in every answer (state, tokens): never stored (RFC 6749 section 5.1).
NO_STORE = CacheControlHeader(no_store=True)

LINK_REQUIRED = ResponseSpec(
    data_container=SsoLinkRequiredProblem,
    media_type=PROBLEM_JSON,
    description="`sso_link_required`: an account already uses this address; its owner "
    "confirms the link with its password (`POST /api/v1/auth/sso/link`)",
)


def _link_required(request: Request[Any, Any, Any], answer: LinkRequired) -> Response[Any]:
    response = problem(
        request,
        status=409,
        title="Conflict",
        detail="an account already uses this email address: confirm the link with its password",
        code="sso_link_required",
        headers={"Cache-Control": NO_STORE.to_header()},
    )
    response.content.update(link_token=answer.link_token, expires_in=answer.expires_in)
    return response


class SsoController(Controller):
    path = "/api/v1/auth/sso"
    tags = ["auth"]

    @post(
        "/start",
        status_code=200,
        operation_id="auth_sso_start",
        cache_control=NO_STORE,
        responses=problem_responses(503),
    )
    @inject
    async def start(self, data: JSONBody[SsoStartRequest], start: FromDishka[StartSso]) -> SsoStart:
        return await start.execute(
            redirect_uri=data.redirect_uri, code_challenge=data.code_challenge
        )

    @post(
        "/callback",
        status_code=200,
        operation_id="auth_sso_callback",
        cache_control=NO_STORE,
        responses={**problem_responses(401, 403, 503), 409: LINK_REQUIRED},
    )
    @inject
    async def callback(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SsoCallbackRequest],
        sso: FromDishka[SsoLogIn],
    ) -> Response[TokenPair]:
        answer = await sso.execute(
            code=data.code, state=data.state, code_verifier=data.code_verifier
        )
        if isinstance(answer, LinkRequired):
            # The 409 is a problem document (declared in `responses`), not a token pair.
            return cast("Response[TokenPair]", _link_required(request, answer))
        return Response(answer)

    @post(
        "/link",
        status_code=200,
        operation_id="auth_sso_link",
        cache_control=NO_STORE,
        responses=problem_responses(401, 403),
    )
    @inject
    async def link(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SsoLinkRequest],
        confirm: FromDishka[ConfirmSsoLink],
    ) -> TokenPair:
        return await confirm.execute(
            link_token=data.link_token,
            password=data.password,
            client_address=client_address(request.scope),
        )
