"""@mention handles asked of the users service: ``POST /internal/v1/users/lookup`` with the
forum's own service token (client credentials at ``/internal/v1/auth/token``, kept until
shortly before it expires, fetched again after a 401), decoded as the ``contracts`` bodies
users encodes. Users knows people by email address, so only handles that are addresses
are asked about; the others name nobody. Transport errors and 5xx are retried; what still
fails is ``DependencyUnavailable`` (the post is refused with a 503 rather than published
without its mentions)."""

from __future__ import annotations

import httpx
import msgspec
import stamina

from cmh.contracts.http.users import (
    MAX_LOOKUP_EMAILS,
    UserLookupRequest,
    UserLookupResponse,
)
from cmh.forum.settings import ForumUsersSettings
from cmh.kernel.auth.service_token import ServiceToken
from cmh.kernel.context import outgoing_headers
from cmh.kernel.errors import DependencyUnavailable


class ServerError(Exception):
    """A 5xx answer: worth retrying."""


class HttpUserDirectory:
    def __init__(self, http: httpx.AsyncClient, settings: ForumUsersSettings) -> None:
        self._http = http
        self._settings = settings
        self._url = f"{settings.url.rstrip('/')}/internal/v1/users/lookup"
        self._token = ServiceToken(http, settings)

    async def resolve_handles(self, handles: tuple[str, ...]) -> dict[str, str]:
        emails = [h for h in handles if "@" in h][:MAX_LOOKUP_EMAILS]
        if not emails:
            return {}
        body = msgspec.json.encode(UserLookupRequest(emails=emails))
        try:
            response = await self._post(body)
            if response.status_code == 401:  # the token was revoked or its key retired
                self._token.forget()
                response = await self._post(body)
        except (httpx.HTTPError, ServerError) as exc:
            raise DependencyUnavailable(f"users did not answer: {exc!r}"[:300]) from exc
        if response.status_code != 200:
            raise DependencyUnavailable(f"users answered {response.status_code} for a lookup")
        try:
            answer = msgspec.json.decode(response.content, type=UserLookupResponse)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise DependencyUnavailable(f"users sent an answer we cannot read: {exc}") from exc
        return {h: answer.users[h] for h in emails if h in answer.users}

    async def _post(self, body: bytes) -> httpx.Response:
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
                    "content-type": "application/json",
                }
                response = await self._http.post(
                    self._url, content=body, headers=headers, timeout=self._settings.timeout_seconds
                )
                if response.status_code >= 500:
                    raise ServerError(f"users answered {response.status_code}")
        return response
