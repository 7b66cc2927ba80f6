"""GET-ing (or idempotently PUT-ing) JSON with another service: timeouts, retries on
transport errors and 5xx (stamina), and a circuit breaker (purgatory) so a dead service
fails fast.

Whatever goes wrong on the way ends as kernel ``DependencyUnavailable`` (a 503 problem);
a 4xx answer is returned to the caller, who knows what it means.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import msgspec
import stamina
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.model import OpenedState

from cmh.courses.settings import ServiceClientSettings
from cmh.kernel.context import outgoing_headers
from cmh.kernel.errors import DependencyUnavailable


class ServerError(Exception):
    """A 5xx answer: worth retrying, and counted by the breaker."""


class ResilientJsonClient:
    def __init__(
        self, http: httpx.AsyncClient, *, service: str, settings: ServiceClientSettings
    ) -> None:
        self._http = http
        self._service = service
        self._settings = settings
        self._breakers = AsyncCircuitBreakerFactory(
            default_threshold=settings.breaker_threshold, default_ttl=settings.breaker_ttl_seconds
        )

    async def get(self, url: str, params: dict[str, str] | None = None) -> httpx.Response:
        return await self._send("GET", url, params)

    async def put(self, url: str) -> httpx.Response:
        """Only for idempotent changes: a PUT is retried like a GET."""
        return await self._send("PUT", url, None)

    async def post(self, url: str, body: msgspec.Struct) -> httpx.Response:
        """A change that is not idempotent: sent once (a lost answer is not resent, so
        it can never act twice), still behind the breaker."""
        return await self._send("POST", url, None, msgspec.json.encode(body), retry=False)

    async def _send(
        self,
        method: str,
        url: str,
        params: dict[str, str] | None,
        content: bytes | None = None,
        *,
        retry: bool = True,
    ) -> httpx.Response:
        try:
            async with await self._breakers.get_breaker(self._service):
                if not retry:
                    return await self._send_once(method, url, params, content)
                return await self._send_with_retries(method, url, params, content)
        except OpenedState as exc:
            raise DependencyUnavailable(f"{self._service} is unavailable (circuit open)") from exc
        except (httpx.HTTPError, ServerError) as exc:
            raise DependencyUnavailable(f"{self._service} did not answer: {exc!r}"[:300]) from exc

    async def _send_with_retries(
        self, method: str, url: str, params: dict[str, str] | None, content: bytes | None
    ) -> httpx.Response:
        async for attempt in stamina.retry_context(
            on=(httpx.TransportError, ServerError),
            attempts=self._settings.attempts,
            wait_initial=0.05,
            wait_max=1.0,
        ):
            with attempt:
                response = await self._send_once(method, url, params, content)
        return response

    async def _send_once(
        self, method: str, url: str, params: dict[str, str] | None, content: bytes | None
    ) -> httpx.Response:
        # The caller's own token and the request ids travel with the call.
        headers = outgoing_headers()
        if content is not None:
            headers["content-type"] = "application/json"
        response = await self._http.request(
            method,
            url,
            params=params,
            content=content,
            headers=headers,
            timeout=self._settings.timeout_seconds,
        )
        if response.status_code >= 500:
            raise ServerError(f"{self._service} answered {response.status_code}")
        return response


def path_segment(value: str) -> str:
    """``value`` as exactly one URL path segment: an id an author typed (``../x``, ``a?b``)
    cannot reach another route."""
    return quote(value, safe="").replace(".", "%2E")


def decode_json(response: httpx.Response, kind: type[Any], service: str) -> Any:
    try:
        return msgspec.json.decode(response.content, type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise DependencyUnavailable(f"{service} sent an answer we cannot read: {exc}") from exc
