"""The dashboard's reads, asked of the users, courses and analytics services with the
caller's token. Analytics is optional to the dashboard: when it cannot answer, the
figures are None and the recommendations empty."""

from __future__ import annotations

from typing import Any

import httpx
import msgspec
import structlog

from cmh.gateway.adapters.http.upstream_client import UpstreamClient
from cmh.gateway.application.ports import (
    Caller,
    EnrollmentProgress,
    LearningStats,
    Profile,
    RecommendedCourse,
)
from cmh.gateway.domain.errors import UpstreamError
from cmh.gateway.domain.routing import RouteTable
from cmh.kernel.errors import DependencyUnavailable, Forbidden, NotFound, Unauthenticated

PROFILE_PATH = "/api/v1/users/me"
ENROLLMENTS_PATH = "/api/v1/enrollments/me"
STATS_PATH = "/api/v1/analytics/me/dashboard"
RECOMMENDATIONS_PATH = "/api/v1/recommendations/me?limit=5"

log = structlog.get_logger("cmh.gateway")


class _Progress(msgspec.Struct, frozen=True):
    percentage: int
    completed_at: str | None = None


class _Enrollment(msgspec.Struct, frozen=True):
    course_id: str
    course_title: str
    enrolled_at: str
    progress: _Progress


class _EnrollmentList(msgspec.Struct, frozen=True):
    items: list[_Enrollment]


def _raise_for(response: httpx.Response, what: str) -> None:
    if response.status_code == 401:
        raise Unauthenticated(f"{what}: the access token was refused")
    if response.status_code == 403:
        raise Forbidden(f"{what}: not allowed")
    if response.status_code == 404:
        raise NotFound(f"{what}: not found")
    if response.status_code >= 400:
        raise DependencyUnavailable(f"{what}: answered {response.status_code}")


class HttpDashboardSources:
    def __init__(self, upstreams: UpstreamClient, routes: RouteTable) -> None:
        self._upstreams = upstreams
        self._routes = routes

    async def _get(self, caller: Caller, path: str) -> Any:
        upstream = self._routes.resolve(path)
        if upstream is None:
            raise DependencyUnavailable(f"no upstream routes {path}")
        response = await self._upstreams.fetch(
            upstream, "GET", path, [("authorization", f"Bearer {caller.token}")]
        )
        _raise_for(response, path)
        return response.content

    async def profile(self, caller: Caller) -> Profile:
        return msgspec.json.decode(await self._get(caller, PROFILE_PATH), type=Profile)

    async def enrollments(self, caller: Caller) -> list[EnrollmentProgress]:
        body = msgspec.json.decode(await self._get(caller, ENROLLMENTS_PATH), type=_EnrollmentList)
        return [
            EnrollmentProgress(
                course_id=item.course_id,
                course_title=item.course_title,
                enrolled_at=item.enrolled_at,
                percentage=item.progress.percentage,
                completed=item.progress.completed_at is not None,
            )
            for item in body.items
        ]

    async def learning_stats(self, caller: Caller) -> LearningStats | None:
        try:
            body = await self._get(caller, STATS_PATH)
            return msgspec.json.decode(body, type=LearningStats)
        except (UpstreamError, DependencyUnavailable, NotFound, msgspec.DecodeError) as exc:
            log.info("dashboard.analytics_unavailable", error=repr(exc)[:200])
            return None

    async def recommendations(self, caller: Caller) -> list[RecommendedCourse]:
        try:
            body = await self._get(caller, RECOMMENDATIONS_PATH)
            return msgspec.json.decode(body, type=list[RecommendedCourse])
        except (UpstreamError, DependencyUnavailable, NotFound, msgspec.DecodeError) as exc:
            log.info("dashboard.analytics_unavailable", error=repr(exc)[:200])
            return []
