"""The gateway's admission policies as ASGI middleware: ``/internal`` hidden, the token
check for protected routes, rate limits with ``RateLimit-*`` headers on every answer.

A WebSocket upgrade counts against the same per-client limiter as a GET of its path
(``RequestFacts.upgrade``) before the route (and so the upstream connection) is
reached. Refused, it is denied with an HTTP answer where the server offers the ASGI
WebSocket denial response (uvicorn does): 429 problem details with ``Retry-After`` and the
``RateLimit-*`` headers; elsewhere the upgrade is closed before it is accepted (1013 try
again later), which servers answer with 403.

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
from litestar.status_codes import WS_1008_POLICY_VIOLATION, WS_1013_TRY_AGAIN_LATER
from litestar.types import (
    ASGIApp,
    HTTPScope,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
    WebSocketScope,
)

from cmh.gateway.application.admit_request import Admission, AdmitRequest, RequestFacts
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.errors import DomainError, TooManyRequests
from cmh.kernel.ratelimit import RateDecision, RateLimiter
from cmh.kernel.web.middleware import set_response_headers
from cmh.kernel.web.problems import exception_handlers
from cmh.kernel.web.serving import client_address

ADMISSION_KEY = "cmh_gateway_admission"
TRY_AGAIN_LATER = WS_1013_TRY_AGAIN_LATER
POLICY = WS_1008_POLICY_VIOLATION

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


def _facts(scope: HTTPScope | WebSocketScope) -> RequestFacts:
    authorization = next(
        (v.decode("latin-1") for k, v in scope["headers"] if k == b"authorization"), None
    )
    if scope["type"] == ScopeType.WEBSOCKET:
        return RequestFacts("GET", scope["path"], client_address(scope), None, upgrade=True)
    return RequestFacts(scope["method"], scope["path"], client_address(scope), authorization)


def _quota_headers(quota: RateDecision | None) -> list[tuple[bytes, bytes]]:
    return [
        (name.lower().encode(), value.encode()) for name, value in rate_limit_headers(quota).items()
    ]


class GatewayPoliciesMiddleware:
    def __init__(self, app: ASGIApp, admitter: AdmitterSource) -> None:
        self._app = app
        self._admitter = admitter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.WEBSOCKET:
            upgrade = await (await self._admitter(scope)).execute(_facts(scope))
            if upgrade.refusal is not None:
                await _deny_upgrade(scope, receive, send, upgrade.refusal, upgrade.quota)
                return
            await self._app(scope, receive, send)
            return
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        admission = await (await self._admitter(scope)).execute(_facts(scope))
        scope.setdefault("state", {})[ADMISSION_KEY] = admission
        extra = _quota_headers(admission.quota)

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


async def _deny_upgrade(
    scope: WebSocketScope,
    receive: Receive,
    send: Send,
    refusal: DomainError,
    quota: RateDecision | None,
) -> None:
    if (await receive())["type"] != "websocket.connect":
        return  # gone before its handshake was answered
    if "websocket.http.response" not in (scope.get("extensions") or {}):
        code = TRY_AGAIN_LATER if isinstance(refusal, TooManyRequests) else POLICY
        await send({"type": "websocket.close", "code": code, "reason": refusal.detail})
        return
    extra = _quota_headers(quota)

    async def as_denial(message: Message) -> None:
        if message["type"] == "http.response.start":
            set_response_headers(message, extra)
            await send({**message, "type": "websocket.http.response.start"})
        elif message["type"] == "http.response.body":
            await send({**message, "type": "websocket.http.response.body"})

    http_scope: Any = {**scope, "type": ScopeType.HTTP, "method": "GET"}
    await _refuse(http_scope, _nothing_more, as_denial, refusal)


async def _nothing_more() -> ReceiveMessage:
    return {"type": "http.request", "body": b"", "more_body": False}


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
