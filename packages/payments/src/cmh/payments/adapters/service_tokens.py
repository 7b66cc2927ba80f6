"""An access token for payments as a platform service: OAuth 2.0 client credentials at
the users service (``POST /internal/v1/auth/token``), kept until shortly before it
expires."""

from __future__ import annotations

import time
from typing import Protocol

import httpx
import msgspec

from cmh.contracts.http.users import ServiceTokenRequest, ServiceTokenResponse
from cmh.payments.adapters.users.settings import UsersClientSettings

EARLY = 30  # seconds before expiry a token is renewed


class AccessTokens(Protocol):
    async def access_token(self) -> str: ...

    def forget(self) -> None:
        """The token was refused: fetch a new one next time."""


class TokenRefused(Exception):
    """Users did not give a token (yet): worth trying again."""


class ServiceTokens:
    def __init__(self, http: httpx.AsyncClient, settings: UsersClientSettings) -> None:
        self._http = http
        self._settings = settings
        self._token: tuple[str, float] | None = None

    def forget(self) -> None:
        self._token = None

    async def access_token(self) -> str:
        if self._token is not None and self._token[1] > time.monotonic():
            return self._token[0]
        answer = await self._http.post(
            f"{self._settings.url.rstrip('/')}/internal/v1/auth/token",
            content=msgspec.json.encode(
                ServiceTokenRequest(
                    client_id=self._settings.client_id, client_secret=self._settings.client_secret
                )
            ),
            headers={"Content-Type": "application/json"},
            timeout=self._settings.timeout_seconds,
        )
        if answer.status_code != 200:
            raise TokenRefused(f"users answered {answer.status_code} for a service token")
        token = msgspec.json.decode(answer.content, type=ServiceTokenResponse)
        self._token = (token.access_token, time.monotonic() + token.expires_in - EARLY)
        return token.access_token
