"""A platform service's own access token at the users service: OAuth 2.0 client
credentials at ``POST /internal/v1/auth/token``, kept until shortly before it expires
and fetched again after ``forget`` (a 401 from the service called). Used by the
adapters that call users for no signed-in caller (a consumer, a timer)."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

import httpx
import msgspec

from cmh.contracts.http.users import ServiceTokenRequest, ServiceTokenResponse
from cmh.kernel.errors import DependencyUnavailable

# A token is renewed this long before it expires, so none is used at its last second.
RENEW_BEFORE_SECONDS = 30


class ServiceClientSettings(Protocol):
    """Where users answers and the client's credentials (each caller's own settings)."""

    @property
    def url(self) -> str: ...

    @property
    def client_id(self) -> str: ...

    @property
    def client_secret(self) -> str: ...

    @property
    def timeout_seconds(self) -> float: ...


class ServiceToken:
    def __init__(self, http: httpx.AsyncClient, settings: ServiceClientSettings) -> None:
        self._http = http
        self._settings = settings
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    def forget(self) -> None:
        self._token = None

    async def get(self) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                await self._fetch()
            assert self._token is not None
            return self._token

    async def _fetch(self) -> None:
        body = msgspec.json.encode(
            ServiceTokenRequest(
                client_id=self._settings.client_id, client_secret=self._settings.client_secret
            )
        )
        try:
            response = await self._http.post(
                f"{self._settings.url.rstrip('/')}/internal/v1/auth/token",
                content=body,
                headers={"content-type": "application/json"},
                timeout=self._settings.timeout_seconds,
            )
        except httpx.HTTPError as exc:
            raise DependencyUnavailable(f"users did not answer: {exc!r}"[:300]) from exc
        if response.status_code != 200:
            raise DependencyUnavailable(f"users refused a service token: {response.status_code}")
        answer = msgspec.json.decode(response.content, type=ServiceTokenResponse)
        self._token = answer.access_token
        self._renew_at = time.monotonic() + max(0, answer.expires_in - RENEW_BEFORE_SECONDS)
