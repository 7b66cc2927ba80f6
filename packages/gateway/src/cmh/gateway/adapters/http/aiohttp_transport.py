"""The gateway's upstream calls keep httpx's API but travel over aiohttp's HTTP/1.1 client
(``httpx-aiohttp``, by httpx's maintainer): on the bench's shared core a proxied request
through httpcore cost about three times the same request through aiohttp (`make bench`,
``tests/perf/profile.py gateway``).

What a failure means for the gateway is kept: a refused or dropped connection is an
``httpx.TransportError`` (502), only a real timeout an ``httpx.TimeoutException`` (504);
the library alone reports every lost connection as a connect timeout. Cookies are never
kept (see ``GatewayHttpClientProvider``).
"""

from __future__ import annotations

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport


class UpstreamTransport(AiohttpTransport):
    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, client=self._session)
        self._pool = limits

    def _session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._pool.max_connections or 0,
            keepalive_timeout=self._pool.keepalive_expiry,
        )
        return aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except httpx.TimeoutException as exc:
            if isinstance(exc.__cause__, TimeoutError):
                raise
            raise httpx.ConnectError(str(exc), request=request) from exc.__cause__
