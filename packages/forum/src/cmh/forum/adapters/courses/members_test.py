from __future__ import annotations

import httpx
import pytest

from cmh.forum.adapters.courses.members import HttpCourseMembers
from cmh.forum.application.ports import CourseRole
from cmh.kernel.errors import DependencyUnavailable

BODY = {
    "course_id": "c1",
    "title": "AWS",
    "status": "published",
    "owner_id": "teacher",
    "user_id": "teacher",
    "enrolled": False,
}


def client(handler: httpx.MockTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=handler)


async def test_the_owner_is_an_instructor_and_an_unknown_course_is_none() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if "missing" in request.url.path:
            return httpx.Response(404)
        return httpx.Response(200, json=BODY)

    async with client(httpx.MockTransport(answer)) as http:
        members = HttpCourseMembers(http, "http://courses.test/")
        assert await members.role("c1", "teacher") == CourseRole(enrolled=False, instructor=True)
        assert await members.role("missing", "ana") is None
    assert asked[0] == "/internal/v1/courses/c1/members/teacher"


async def test_a_failing_courses_service_is_a_503_after_retries() -> None:
    calls = 0

    def broken(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(502)

    async with client(httpx.MockTransport(broken)) as http:
        with pytest.raises(DependencyUnavailable):
            await HttpCourseMembers(http, "http://courses.test", attempts=2).role("c1", "ana")
    assert calls == 2
