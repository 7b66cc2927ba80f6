"""Forwarding one request to its upstream: end-to-end headers only, ``X-Forwarded-*``,
request/correlation ids, the signed principal; the body streamed, never buffered."""

from __future__ import annotations

from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass

import httpx

from cmh.gateway.adapters.http.upstream_client import UpstreamClient
from cmh.gateway.domain.forwarded_principal import (
    PRINCIPAL_HEADER,
    SIGNATURE_HEADER,
    forwarded_principal_headers,
)
from cmh.gateway.domain.hop_by_hop import end_to_end
from cmh.gateway.domain.routing import RouteTable
from cmh.kernel import context
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound

# Set by the gateway itself; a client's copies are dropped so they cannot be spoofed.
_REPLACED = frozenset(
    {
        "host",
        "x-forwarded-proto",
        "x-forwarded-host",
        "x-request-id",
        "x-correlation-id",
        PRINCIPAL_HEADER,
        SIGNATURE_HEADER,
    }
)


@dataclass(frozen=True, slots=True)
class IncomingRequest:
    """``path`` decoded (what routes and policies read); ``raw_path`` as the client sent
    it, percent-escapes kept: what is forwarded, so the service decodes the very path the
    gateway judged (a decoded ``%0A`` is no URL, a decoded ``%2F`` or ``%3F`` another one)."""

    method: str
    path: str
    raw_path: str
    query: str
    headers: Sequence[tuple[str, str]]
    client_ip: str
    scheme: str
    body: AsyncIterable[bytes] | None
    principal: Principal | None


class UpstreamProxy:
    def __init__(self, upstreams: UpstreamClient, routes: RouteTable, principal_secret: str):
        self._upstreams = upstreams
        self._routes = routes
        self._secret = principal_secret

    async def forward(self, incoming: IncomingRequest) -> httpx.Response:
        upstream = self._routes.resolve(incoming.path)
        if upstream is None:
            raise NotFound(f"no service serves {incoming.path}", code="route_not_found")
        target = incoming.raw_path + (f"?{incoming.query}" if incoming.query else "")
        return await self._upstreams.open(
            upstream, incoming.method, target, self._headers(incoming), incoming.body
        )

    def _headers(self, incoming: IncomingRequest) -> list[tuple[str, str]]:
        passed = [(n, v) for n, v in end_to_end(incoming.headers) if n not in _REPLACED]
        forwarded_for = [v for n, v in passed if n == "x-forwarded-for"]
        headers = [(n, v) for n, v in passed if n != "x-forwarded-for"]
        host = next((v for n, v in incoming.headers if n.lower() == "host"), "")
        headers += [
            ("x-forwarded-for", ", ".join([*forwarded_for, incoming.client_ip])),
            ("x-forwarded-proto", incoming.scheme),
            ("x-forwarded-host", host),
        ]
        if request_id := context.request_id.get():
            headers.append(("x-request-id", request_id))
        if correlation_id := context.correlation_id.get():
            headers.append(("x-correlation-id", correlation_id))
        if incoming.principal is not None and self._secret:
            headers += forwarded_principal_headers(incoming.principal, self._secret).items()
        return headers
