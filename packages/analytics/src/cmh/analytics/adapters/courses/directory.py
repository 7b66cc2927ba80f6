"""Course ownership asked of the courses service:
``GET /internal/v1/courses/{course_id}/members/{caller}`` with the caller's own token
relayed. Transport errors and 5xx are retried; what still fails is
``DependencyUnavailable`` (503)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import msgspec
import stamina

from cmh.analytics.adapters.courses.settings import CoursesClientSettings
from cmh.analytics.application.ports import CourseOwnership
from cmh.contracts.http.courses import CourseMembershipResponse
from cmh.kernel.context import outgoing_headers
from cmh.kernel.errors import DependencyUnavailable


class ServerError(Exception):
    """A 5xx answer: worth retrying."""


class HttpCourseDirectory:
    def __init__(self, http: httpx.AsyncClient, settings: CoursesClientSettings) -> None:
        self._http = http
        self._settings = settings
        self._base = settings.url.rstrip("/")

    async def ownership(self, course_id: str, user_id: str) -> CourseOwnership | None:
        url = (
            f"{self._base}/internal/v1/courses/{quote(course_id, safe='')}"
            f"/members/{quote(user_id, safe='')}"
        )
        try:
            response = await self._get(url)
        except (httpx.HTTPError, ServerError) as exc:
            raise DependencyUnavailable(f"courses did not answer: {exc!r}"[:300]) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DependencyUnavailable(f"courses answered {response.status_code} for a course")
        try:
            body = msgspec.json.decode(response.content, type=CourseMembershipResponse)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            raise DependencyUnavailable(f"courses sent an answer we cannot read: {exc}") from exc
        return CourseOwnership(course_id=body.course_id, title=body.title, owner_id=body.owner_id)

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
                    raise ServerError(f"courses answered {response.status_code}")
        return response
