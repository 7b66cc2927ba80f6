"""The gateway's admission policies as ASGI middleware: ``/internal`` hidden, the token
check for protected routes, rate limits with ``RateLimit-*`` headers on every answer.

``gateway_policies_middleware(settings, rate_limiter, authenticator)`` is for an app that
serves the routes itself (the embedded platform); the proxying gateway takes its
``AdmitRequest`` from the dishka container instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from dishka import AsyncContainer
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send

from cmh.gateway.application.admit_request import Admission, AdmitRequest, RequestFacts
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.errors import DomainError
from cmh.kernel.ratelimit import RateDecision, RateLimiter
from cmh.kernel.web.middleware import set_response_headers
from cmh.kernel.web.problems import exception_handlers
from cmh.kernel.web.serving import client_address

ADMISSION_KEY = "cmh_gateway_admission"

AdmitterSource = Callable[[Scope], Awaitable[AdmitRequest]]


def admission_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Admission:
    admission = connection.scope.get("state", {}).get(ADMISSION_KEY)
    return admission if isinstance(admission, Admission) else Admission()


def rate_limit_headers(quota: RateDecision | None) -> dict[str, str]:
    if quota is None:
        return {}
    return {
        "RateLimit-Limit": str(quota.limit),
        "RateLimit-Remaining": str(max(0, quota.remaining)),
        "RateLimit-Reset": str(quota.reset_after),
    }


def _facts(scope: HTTPScope) -> RequestFacts:
    authorization = next(
        (v.decode("latin-1") for k, v in scope["headers"] if k == b"authorization"), None
    )
    return RequestFacts(scope["method"], scope["path"], client_address(scope), authorization)


class GatewayPoliciesMiddleware:
    def __init__(self, app: ASGIApp, admitter: AdmitterSource) -> None:
        self._app = app
        self._admitter = admitter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        admission = await (await self._admitter(scope)).execute(_facts(scope))
        scope.setdefault("state", {})[ADMISSION_KEY] = admission
        extra = [
            (name.lower().encode(), value.encode())
            for name, value in rate_limit_headers(admission.quota).items()
        ]

        async def send_with_quota(message: Message) -> None:
            if message["type"] == "http.response.start" and extra:
                set_response_headers(message, extra)
            await send(message)

        if admission.refusal is not None:
            await _refuse(scope, receive, send_with_quota, admission.refusal)
            return
        await self._app(scope, receive, send_with_quota)


async def _refuse(scope: Scope, receive: Receive, send: Send, refusal: DomainError) -> None:
    request: Request[Any, Any, Any] = Request(scope, receive)
    response = exception_handlers[DomainError](request, refusal)
    await response.to_asgi_response(app=None, request=request)(scope, receive, send)


def gateway_policies_middleware(
    settings: GatewaySettings, rate_limiter: RateLimiter, authenticator: Authenticator
) -> Callable[[ASGIApp], ASGIApp]:
    admitter = AdmitRequest(authenticator, rate_limiter, settings.route_limits())

    async def fixed(_: Scope) -> AdmitRequest:
        return admitter

    def middleware(app: ASGIApp) -> ASGIApp:
        return GatewayPoliciesMiddleware(app, fixed)

    return middleware


def container_policies_middleware(app: ASGIApp) -> ASGIApp:
    """The same policies, with ``AdmitRequest`` from the app's dishka container."""

    async def from_container(scope: Scope) -> AdmitRequest:
        container: AsyncContainer = scope["app"].state.dishka_container
        return await container.get(AdmitRequest)

    return GatewayPoliciesMiddleware(app, from_container)
