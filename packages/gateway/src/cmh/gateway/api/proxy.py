"""The catch-all routes: every routed path is forwarded to its upstream; the answer is
sent on whole when the proxy read it whole (small, of known length), else streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, route
from litestar.background_tasks import BackgroundTask
from litestar.response.base import ASGIResponse
from litestar.response.streaming import ASGIStreamingResponse

from cmh.gateway.adapters.http.proxy import IncomingRequest, UpstreamProxy
from cmh.gateway.api.policies_middleware import admission_of
from cmh.gateway.domain.hop_by_hop import end_to_end
from cmh.kernel.web.serving import client_address, raw_path

# The gateway's server writes its own.
_OWN_HEADERS = frozenset({"date", "server"})

METHODS: list[Any] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def _body(response: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_raw():
            yield chunk
    finally:
        await response.aclose()


async def _forward(request: Request[Any, Any, Any], proxy: UpstreamProxy) -> ASGIResponse:
    has_body = request.method not in {"GET", "HEAD", "OPTIONS", "DELETE"} or any(
        k in request.headers for k in ("content-length", "transfer-encoding")
    )
    answer = await proxy.forward(
        IncomingRequest(
            method=request.method,
            path=request.scope["path"],
            raw_path=raw_path(request.scope),
            query=request.scope["query_string"].decode("latin-1"),
            headers=[
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.scope["headers"]
            ],
            client_ip=client_address(request.scope),
            scheme=request.scope["scheme"],
            body=request.stream() if has_body else None,
            principal=admission_of(request).principal,
        )
    )
    upstream = answer.response
    headers = [
        (name, value)
        for name, value in end_to_end(
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in upstream.headers.raw
        )
        if name not in _OWN_HEADERS
    ]
    if answer.body is not None:
        # Pairs, not a dict: repeated headers (Set-Cookie) must survive.
        return ASGIResponse(body=answer.body, status_code=upstream.status_code, headers=headers)
    return ASGIStreamingResponse(
        iterator=_body(upstream),
        status_code=upstream.status_code,
        # Pairs, not a dict: repeated headers (Set-Cookie) must survive; the base accepts them.
        headers=headers,  # type: ignore[arg-type]
        background=BackgroundTask(upstream.aclose),
    )


@route("/api/v1/{rest:path}", http_method=METHODS, include_in_schema=False, name="proxy_api")
@inject
async def proxy_api(
    request: Request[Any, Any, Any], proxy: FromDishka[UpstreamProxy]
) -> ASGIResponse:
    return await _forward(request, proxy)


@route("/.well-known/jwks.json", http_method=["GET"], include_in_schema=False, name="proxy_jwks")
@inject
async def proxy_jwks(
    request: Request[Any, Any, Any], proxy: FromDishka[UpstreamProxy]
) -> ASGIResponse:
    return await _forward(request, proxy)


PROXY_ROUTES = [proxy_api, proxy_jwks]
