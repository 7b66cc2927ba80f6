"""A learner's lab allowance asked of the users service:
``GET /internal/v1/users/{id}/entitlements`` with the caller's own token (users answers a
platform service or the learner themself), decoded as the ``contracts`` body users
encodes. Transport errors and 5xx are retried; what still fails is
``DependencyUnavailable`` (a 503: no launch without knowing the allowance)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import httpx
import msgspec
import stamina

from cmh.contracts.http.users import EntitlementsResponse
from cmh.kernel.context import outgoing_headers
from cmh.kernel.errors import DependencyUnavailable, NotFound
from cmh.labs.adapters.users.settings import UsersClientSettings
from cmh.labs.application.ports import LabAllowance


class ServerError(Exception):
    """A 5xx answer: worth retrying."""


class HttpEntitlements:
    def __init__(self, http: httpx.AsyncClient, settings: UsersClientSettings) -> None:
        self._http = http
        self._settings = settings
        self._base = settings.url.rstrip("/")

    async def of(self, user_id: str) -> LabAllowance:
        url = f"{self._base}/internal/v1/users/{quote(user_id, safe='')}/entitlements"
        try:
            response = await self._get(url)
        except (httpx.HTTPError, ServerError) as exc:
            raise DependencyUnavailable(f"users did not answer: {exc!r}"[:300]) from exc
        if response.status_code == 404:
            raise NotFound(f"user {user_id} not found", code="user_not_found")
        if response.status_code != 200:
            raise DependencyUnavailable(f"users answered {response.status_code} for entitlements")
        try:
            body = msgspec.json.decode(response.content, type=EntitlementsResponse)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise DependencyUnavailable(f"users sent an answer we cannot read: {exc}") from exc
        return LabAllowance(
            user_id=body.user_id,
            tier=body.tier,
            # Users' levels are one scale for courses and labs.
            levels=frozenset(body.course_levels),
            lab_hours_per_month=Decimal(body.lab_hours_per_month),
            active=body.active,
        )

    async def _get(self, url: str) -> httpx.Response:
        async for attempt in stamina.retry_context(
            on=(httpx.TransportError, ServerError),
            attempts=self._settings.attempts,
            wait_initial=0.05,
            wait_max=1.0,
        ):
            with attempt:
                response = await self._http.get(
                    url, headers=outgoing_headers(), timeout=self._settings.timeout_seconds
                )
                if response.status_code >= 500:
                    raise ServerError(f"users answered {response.status_code}")
        return response
