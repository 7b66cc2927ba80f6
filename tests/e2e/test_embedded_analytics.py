"""Flow 1 through the embedded platform: the free learner enrolls in the demo AWS course
and completes lessons (courses -> lesson.completed / progress.updated -> analytics in
process); their dashboard and their recommendations change, the course's instructor
reads the report and its chart, the admin the overview."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from litestar.testing import AsyncTestClient

from cmh.users.demo_seed import DEMO_ACCOUNTS
from tests.e2e.support import eventually

Client = AsyncTestClient[Any]
LEARNER, INSTRUCTOR, ADMIN, _ = DEMO_ACCOUNTS
COURSE_TITLE = "AWS Cloud Practitioner Essentials"


async def _auth(client: Client, account: Any) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def test_completed_lessons_reach_the_dashboard_and_the_recommendations(
    platform: Client,
) -> None:
    learner = await _auth(platform, LEARNER)
    catalog = (await platform.get("/api/v1/courses", params={"provider": "aws"})).json()
    course_id = next(c["id"] for c in catalog["items"] if c["title"] == COURSE_TITLE)
    course = (await platform.get(f"/api/v1/courses/{course_id}")).json()
    lessons = [
        lesson["id"]
        for m in course["modules"]
        for lesson in m["lessons"]
        if lesson["kind"] != "quiz"
    ]

    before = await platform.get("/api/v1/recommendations/me", headers=learner)
    assert before.status_code == 200, before.text
    assert all(item["reasons"] for item in before.json())
    enrolled = await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    for lesson_id in lessons[:2]:
        done = await platform.post(
            f"/api/v1/courses/{course_id}/lessons/{lesson_id}/complete", headers=learner
        )
        assert done.status_code == 200, done.text

    async def dashboard_shows_the_lessons() -> bool:
        board = (await platform.get("/api/v1/analytics/me/dashboard", headers=learner)).json()
        mine = [c for c in board["courses"] if c["course_id"] == course_id]
        return bool(mine) and mine[0]["completed_lessons"] == 2 and mine[0]["percentage"] > 0

    await eventually(dashboard_shows_the_lessons)
    board = (await platform.get("/api/v1/analytics/me/dashboard", headers=learner)).json()
    assert board["courses"][0]["title"] == COURSE_TITLE
    assert board["current_streak_days"] == 1

    after = (await platform.get("/api/v1/recommendations/me", headers=learner)).json()
    assert course_id not in [item["course_id"] for item in after]  # taken: not recommended
    assert after != before.json()
    assert all(item["reasons"] for item in after)

    instructor = await _auth(platform, INSTRUCTOR)
    report = await platform.get(f"/api/v1/analytics/courses/{course_id}/report", headers=instructor)
    assert report.status_code == 200, report.text
    assert {s["step"]: s["learners"] for s in report.json()["funnel"]}["started"] >= 1
    chart = await platform.get(
        f"/api/v1/analytics/courses/{course_id}/charts/funnel.svg", headers=instructor
    )
    assert ET.fromstring(chart.content)  # noqa: S314 - the platform's own chart.tag.endswith("svg")
    refused = await platform.get(f"/api/v1/analytics/courses/{course_id}/report", headers=learner)
    assert refused.status_code == 403

    admin = await _auth(platform, ADMIN)
    overview = await platform.get("/api/v1/analytics/admin/overview", headers=admin)
    assert overview.status_code == 200, overview.text
    assert overview.json()["enrollments"] >= 1
