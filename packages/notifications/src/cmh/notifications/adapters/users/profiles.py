"""A learner's locale and time zone asked of the users service:
``GET /internal/v1/users/{id}/preferences`` with notifications' own service token
(client credentials at ``/internal/v1/auth/token``, kept until shortly before it expires,
fetched again after a 401), decoded as the ``contracts`` bodies users encodes. Transport
errors and 5xx are retried; what still fails is ``DependencyUnavailable``."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import msgspec
import stamina

from cmh.contracts.http.users import (
    PreferencesResponse,
)
from cmh.kernel.auth.service_token import ServiceToken
from cmh.kernel.context import outgoing_headers
from cmh.kernel.errors import DependencyUnavailable, NotFound
from cmh.notifications.adapters.users.settings import UsersClientSettings
from cmh.notifications.application.ports import RecipientProfile


class ServerError(Exception):
    """A 5xx answer: worth retrying."""


class HttpUserProfiles:
    def __init__(self, http: httpx.AsyncClient, settings: UsersClientSettings) -> None:
        self._http = http
        self._settings = settings
        self._base = settings.url.rstrip("/")
        self._token = ServiceToken(http, settings)

    async def of(self, user_id: str) -> RecipientProfile:
        url = f"{self._base}/internal/v1/users/{quote(user_id, safe='')}/preferences"
        try:
            response = await self.get_with_token(url)
        except (httpx.HTTPError, ServerError) as exc:
            raise DependencyUnavailable(f"users did not answer: {exc!r}"[:300]) from exc
        if response.status_code == 404:
            raise NotFound(f"user {user_id} not found", code="user_not_found")
        if response.status_code != 200:
            raise DependencyUnavailable(f"users answered {response.status_code} for preferences")
        try:
            body = msgspec.json.decode(response.content, type=PreferencesResponse)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise DependencyUnavailable(f"users sent an answer we cannot read: {exc}") from exc
        return RecipientProfile(locale=body.locale, timezone=body.timezone)

    async def get_with_token(self, url: str) -> httpx.Response:
        """GET ``url`` of users with the service token, once more with a new token after a
        401 (the token was revoked or its key retired); 5xx and transport errors retried."""
        response = await self._get(url)
        if response.status_code == 401:
            self._token.forget()
            response = await self._get(url)
        return response

    async def _get(self, url: str) -> httpx.Response:
        async for attempt in stamina.retry_context(
            on=(httpx.TransportError, ServerError),
            attempts=self._settings.attempts,
            wait_initial=0.05,
            wait_max=1.0,
        ):
            with attempt:
                headers = {
                    **outgoing_headers(),
                    "authorization": f"Bearer {await self._token.get()}",
                }
                response = await self._http.get(
                    url, headers=headers, timeout=self._settings.timeout_seconds
                )
                if response.status_code >= 500:
                    raise ServerError(f"users answered {response.status_code}")
        return response
