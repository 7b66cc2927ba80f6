"""Posting rights asked of the courses service:
``GET /internal/v1/courses/{course_id}/members/{user_id}`` with the caller's own token
relayed, decoded as the ``contracts`` body courses encodes. Transport errors and 5xx are
retried; what still fails is ``DependencyUnavailable`` (503)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import msgspec
import stamina

from cmh.contracts.http.courses import CourseMembershipResponse
from cmh.forum.application.ports import CourseRole
from cmh.kernel.context import outgoing_headers
from cmh.kernel.errors import DependencyUnavailable


class ServerError(Exception):
    """A 5xx answer: worth retrying."""


class HttpCourseMembers:
    def __init__(
        self, http: httpx.AsyncClient, url: str, *, attempts: int = 3, timeout: float = 2.0
    ) -> None:
        self._http = http
        self._base = url.rstrip("/")
        self._attempts = attempts
        self._timeout = timeout

    async def role(self, course_id: str, user_id: str) -> CourseRole | None:
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
        return CourseRole(enrolled=body.enrolled, instructor=body.owner_id == user_id)

    async def _get(self, url: str) -> httpx.Response:
        async for attempt in stamina.retry_context(
            on=(httpx.TransportError, ServerError),
            attempts=self._attempts,
            wait_initial=0.05,
            wait_max=1.0,
        ):
            with attempt:
                response = await self._http.get(
                    url, headers=outgoing_headers(), timeout=self._timeout
                )
                if response.status_code >= 500:
                    raise ServerError(f"courses answered {response.status_code}")
        return response
