"""The users service's ``PUT /internal/v1/users/{id}/tier`` with a service token (OAuth
2.0 client credentials from ``POST /internal/v1/auth/token``, kept until shortly before
it expires). Transport errors, 5xx and a refused token (fetched again) are retried with
backoff (stamina); what still fails is ``DependencyUnavailable``, and the tier change
waits in the queue for the next try."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import msgspec
import stamina

from cmh.contracts.http.users import ChangeTierRequest
from cmh.kernel.errors import DependencyUnavailable, NotFound
from cmh.payments.adapters.service_tokens import ServiceTokens, TokenRefused
from cmh.payments.adapters.users.settings import UsersClientSettings
from cmh.payments.domain.plans import Tier


class Retry(Exception):
    """An answer worth trying again (5xx, or a token users no longer takes)."""


class HttpUsersTiers:
    def __init__(
        self,
        http: httpx.AsyncClient,
        settings: UsersClientSettings,
        tokens: ServiceTokens | None = None,
    ) -> None:
        self._http = http
        self._settings = settings
        self._base = settings.url.rstrip("/")
        self._tokens = tokens or ServiceTokens(http, settings)

    async def set_tier(self, user_id: str, tier: Tier, reason: str) -> None:
        url = f"{self._base}/internal/v1/users/{quote(user_id, safe='')}/tier"
        body = msgspec.json.encode(ChangeTierRequest(tier=tier.value, reason=reason[:200]))
        try:
            async for attempt in stamina.retry_context(
                on=(httpx.TransportError, Retry, TokenRefused),
                attempts=self._settings.attempts,
                wait_initial=0.1,
                wait_max=2.0,
            ):
                with attempt:
                    answer = await self._http.put(
                        url,
                        content=body,
                        headers={
                            "Authorization": f"Bearer {await self._tokens.access_token()}",
                            "Content-Type": "application/json",
                        },
                        timeout=self._settings.timeout_seconds,
                    )
                    if answer.status_code == 401:
                        self._tokens.forget()
                        raise Retry("users refused the service token")
                    if answer.status_code >= 500:
                        raise Retry(f"users answered {answer.status_code}")
        except (httpx.HTTPError, Retry, TokenRefused) as exc:
            raise DependencyUnavailable(f"users did not take the tier: {exc!r}"[:300]) from exc
        if answer.status_code == 404:
            raise NotFound(f"user {user_id} not found", code="user_not_found")
        if answer.status_code != 200:
            raise DependencyUnavailable(f"users answered {answer.status_code} to a tier change")
