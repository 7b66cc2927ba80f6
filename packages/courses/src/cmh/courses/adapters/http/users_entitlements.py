"""Entitlements asked of the users service: ``GET /internal/v1/users/{id}/entitlements``."""

from __future__ import annotations

import msgspec

from cmh.courses.adapters.http.resilient import ResilientJsonClient, decode_json
from cmh.courses.application.ports import LearnerEntitlements
from cmh.kernel.errors import DependencyUnavailable, NotFound


class _EntitlementsBody(msgspec.Struct, frozen=True):
    user_id: str
    tier: str
    roles: list[str]
    course_levels: list[str]
    lab_hours_per_month: int
    active: bool


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
        body: _EntitlementsBody = decode_json(response, _EntitlementsBody, "users")
        return LearnerEntitlements(
            user_id=body.user_id,
            tier=body.tier,
            course_levels=frozenset(body.course_levels),
            active=body.active,
        )
