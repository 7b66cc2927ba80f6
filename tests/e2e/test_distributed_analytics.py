"""Flow 1 in the distributed profile, through the gateway only: an instructor publishes
two courses; a first learner takes both (so the two go together); a second learner
enrolls in the first and completes its lessons: courses -> Kafka -> the analytics worker
-> PostgreSQL warehouse. The learner's dashboard shows the lessons, the recommendations
now point at the second course "because learners who took" the first, the instructor
reads the course's report and chart (analytics asks courses who owns it over HTTP).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator

import httpx
import pytest

from cmh_testing.kernel.servers import server_url
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
PASSWORD = "a long analytics journey 42"


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def register(client: httpx.AsyncClient, name: str) -> tuple[str, dict[str, str]]:
    email = f"analytics-{uuid.uuid4().hex[:10]}@example.org"
    registered = await client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": name}
    )
    assert registered.status_code == 201, registered.text
    return email, await login(client, email, PASSWORD)


async def new_instructor(client: httpx.AsyncClient) -> dict[str, str]:
    email, first = await register(client, "Report reader")
    me = (await client.get("/api/v1/users/me", headers=first)).json()
    admin = await login(
        client, server_url("CMH_TEST_ADMIN_EMAIL"), server_url("CMH_TEST_ADMIN_PASSWORD")
    )
    promoted = await client.patch(
        f"/api/v1/admin/users/{me['id']}", headers=admin, json={"roles": ["learner", "instructor"]}
    )
    assert promoted.status_code == 200, promoted.text
    return await login(client, email, PASSWORD)


async def published_course(
    client: httpx.AsyncClient, author: dict[str, str], title: str
) -> tuple[str, list[str]]:
    created = await client.post(
        "/api/v1/courses",
        headers=author,
        json={
            "title": f"{title} {uuid.uuid4().hex[:6]}",
            "provider": "aws",
            "level": "beginner",
            "summary": "Learning events become facts, dashboards and recommendations.",
        },
    )
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", headers=author, json={"title": "Basics"}
    )
    lessons = []
    for lesson_title in ("One", "Two"):
        lesson = await client.post(
            f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
            headers=author,
            json={"title": lesson_title, "kind": "text", "duration_minutes": 5},
        )
        assert lesson.status_code == 201, lesson.text
        lessons.append(lesson.json()["id"])
    published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=author)
    assert published.status_code == 200, published.text
    return course_id, lessons


async def test_completed_lessons_change_the_dashboard_and_the_recommendations(
    gateway: httpx.AsyncClient,
) -> None:
    author = await new_instructor(gateway)
    first, lessons = await published_course(gateway, author, "Analytics first")
    second, _ = await published_course(gateway, author, "Analytics second")
    _, pioneer = await register(gateway, "Pioneer")
    for course_id in (first, second):
        enrolled = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=pioneer)
        assert enrolled.status_code == 201, enrolled.text

    _, learner = await register(gateway, "Follower")
    enrolled = await gateway.post(f"/api/v1/courses/{first}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    for lesson_id in lessons:
        done = await gateway.post(
            f"/api/v1/courses/{first}/lessons/{lesson_id}/complete", headers=learner
        )
        assert done.status_code == 200, done.text

    async def dashboard_shows_the_course_done() -> bool:
        board = await gateway.get("/api/v1/analytics/me/dashboard", headers=learner)
        assert board.status_code == 200, board.text
        mine = [c for c in board.json()["courses"] if c["course_id"] == first]
        return bool(mine) and mine[0]["completed_lessons"] == 2

    await eventually(dashboard_shows_the_course_done)

    async def recommends_the_second() -> bool:
        found = await gateway.get("/api/v1/recommendations/me", headers=learner)
        assert found.status_code == 200, found.text
        items = {i["course_id"]: i for i in found.json()}
        return second in items and any(
            "learners who took" in r or "because you finished" in r
            for r in items[second]["reasons"]
        )

    await eventually(recommends_the_second)

    report = await gateway.get(f"/api/v1/analytics/courses/{first}/report", headers=author)
    assert report.status_code == 200, report.text
    assert {s["step"]: s["learners"] for s in report.json()["funnel"]}["enrolled"] == 2
    chart = await gateway.get(
        f"/api/v1/analytics/courses/{first}/charts/funnel.svg", headers=author
    )
    assert chart.status_code == 200
    assert ET.fromstring(chart.content).tag.endswith("svg")  # noqa: S314 - the service's own chart
    refused = await gateway.get(f"/api/v1/analytics/courses/{first}/report", headers=learner)
    assert refused.status_code == 403
