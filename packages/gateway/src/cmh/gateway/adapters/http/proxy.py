"""Forwarding one request to its upstream: end-to-end headers only, ``X-Forwarded-*``,
request/correlation ids, the signed principal; the request body streamed, never
buffered, and so is the answer's unless it is small and its length known."""

from __future__ import annotations

from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass

import httpx

from cmh.gateway.adapters.http.upstream_client import UpstreamClient, read_raw
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


# An answer of known length up to this size is read whole and sent on in one piece. A
# streamed answer costs a task group and a disconnect listener per request (about a tenth
# of a proxied catalog read's time), which only pays for bodies that take a while to come.
WHOLE_ANSWER_MAX_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class ForwardedAnswer:
    """The upstream's status and headers; ``body`` when the answer was read whole (the
    response is then closed), else None and the body is still to stream from it."""

    response: httpx.Response
    body: bytes | None


def _small(response: httpx.Response) -> bool:
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= WHOLE_ANSWER_MAX_BYTES


class UpstreamProxy:
    def __init__(self, upstreams: UpstreamClient, routes: RouteTable, principal_secret: str):
        self._upstreams = upstreams
        self._routes = routes
        self._secret = principal_secret

    async def forward(self, incoming: IncomingRequest) -> ForwardedAnswer:
        upstream = self._routes.resolve(incoming.path)
        if upstream is None:
            raise NotFound(f"no service serves {incoming.path}", code="route_not_found")
        target = incoming.raw_path + (f"?{incoming.query}" if incoming.query else "")
        response = await self._upstreams.open(
            upstream, incoming.method, target, self._headers(incoming), incoming.body
        )
        # A HEAD answer's length is the GET's: it has no body to read.
        if incoming.method != "HEAD" and _small(response):
            return ForwardedAnswer(response, await read_raw(response, upstream))
        return ForwardedAnswer(response, None)

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
