"""A learner's interests asked of the users service:
``GET /internal/v1/users/{user_id}/preferences`` with the learner's own token relayed.
Recommendations degrade rather than fail: when users cannot answer, the learner is
treated as having no stated interests (behaviour and content still count)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import msgspec
import stamina
import structlog

from cmh.analytics.adapters.users.settings import UsersClientSettings
from cmh.contracts.http.users import PreferencesResponse
from cmh.kernel.context import outgoing_headers

log = structlog.get_logger("cmh.analytics")


class HttpLearnerProfiles:
    def __init__(self, http: httpx.AsyncClient, settings: UsersClientSettings) -> None:
        self._http = http
        self._settings = settings
        self._base = settings.url.rstrip("/")

    async def interests(self, user_id: str) -> tuple[str, ...]:
        url = f"{self._base}/internal/v1/users/{quote(user_id, safe='')}/preferences"
        try:
            async for attempt in stamina.retry_context(
                on=httpx.TransportError, attempts=self._settings.attempts, wait_initial=0.05
            ):
                with attempt:
                    response = await self._http.get(
                        url, headers=outgoing_headers(), timeout=self._settings.timeout_seconds
                    )
            if response.status_code != 200:
                log.info("analytics.profile_unavailable", status=response.status_code)
                return ()
            body = msgspec.json.decode(response.content, type=PreferencesResponse)
        except (httpx.HTTPError, msgspec.DecodeError, msgspec.ValidationError) as exc:
            log.warning("analytics.profile_unavailable", error=repr(exc)[:200])
            return ()
        return tuple(i.lower() for i in body.interests)
