"""Entitlements asked of the users service: ``GET /internal/v1/users/{id}/entitlements``,
answered with the ``contracts`` body users encodes."""

from __future__ import annotations

from cmh.contracts.http.users import EntitlementsResponse
from cmh.courses.adapters.http.resilient import ResilientJsonClient, decode_json
from cmh.courses.application.ports import LearnerEntitlements
from cmh.kernel.errors import DependencyUnavailable, NotFound


class HttpEntitlements:
    def __init__(self, client: ResilientJsonClient, users_url: str) -> None:
        self._client = client
        self._base = users_url.rstrip("/")

    async def of(self, user_id: str) -> LearnerEntitlements:
        response = await self._client.get(f"{self._base}/internal/v1/users/{user_id}/entitlements")
        if response.status_code == 404:
            raise NotFound(f"user {user_id} not found", code="user_not_found")
        if response.status_code != 200:
            raise DependencyUnavailable(f"users answered {response.status_code} for entitlements")
        body: EntitlementsResponse = decode_json(response, EntitlementsResponse, "users")
        return LearnerEntitlements(
            user_id=body.user_id,
            tier=body.tier,
            course_levels=frozenset(body.course_levels),
            active=body.active,
        )
