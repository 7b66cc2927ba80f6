"""The learning journey through the embedded platform: an instructor authors and
publishes, a learner finds, enrolls, plays and completes; course.completed leaves once."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar.testing import AsyncTestClient

from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS
from cmh.contracts.events.base import decode_envelope
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.users.demo_seed import DEMO_ACCOUNTS
from tests.e2e.support import eventually

Client = AsyncTestClient[Any]
LEARNER, INSTRUCTOR, ADMIN, _ = DEMO_ACCOUNTS


async def _auth(client: Client, account: Any) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def _author_course(client: Client, instructor: dict[str, str]) -> tuple[str, list[str]]:
    created = await client.post(
        "/api/v1/courses",
        headers=instructor,
        json={
            "title": "S3 static sites, hands on",
            "provider": "aws",
            "level": "beginner",
            "summary": "Buckets, policies and a CDN in front.",
            "tags": ["s3", "cdn"],
        },
    )
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", headers=instructor, json={"title": "Buckets"}
    )
    assert module.status_code == 201, module.text
    lessons = []
    for title, kind in [("Create a bucket", "video"), ("Bucket policies", "text")]:
        lesson = await client.post(
            f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
            headers=instructor,
            json={
                "title": title,
                "kind": kind,
                "duration_minutes": 5,
                **({"asset_id": DEMO_VIDEO_ASSET_IDS[0]} if kind == "video" else {}),
            },
        )
        assert lesson.status_code == 201, lesson.text
        lessons.append(lesson.json()["id"])
    published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=instructor)
    assert published.status_code == 200, published.text
    return course_id, lessons


def _completed_events(bus: InProcessBus, course_id: str) -> int:
    return sum(
        1
        for message in list(bus.published)  # a snapshot: the app thread keeps appending
        if (envelope := decode_envelope(message.payload)).type == "course.completed"
        and course_id in bytes(envelope.data).decode()
    )


async def test_author_publish_find_enroll_play_complete(platform: Client) -> None:
    instructor, learner = await _auth(platform, INSTRUCTOR), await _auth(platform, LEARNER)
    course_id, lessons = await _author_course(platform, instructor)
    search = {"q": "bucket policies", "provider": "aws"}

    async def indexed() -> bool:
        found = await platform.get("/api/v1/courses", params=search)
        return course_id in [item["id"] for item in found.json()["items"]]

    # The search index follows course.published through the bus: eventually consistent.
    await eventually(indexed)
    found = await platform.get("/api/v1/courses", params=search)
    assert found.json()["facets"]["provider"]["aws"] >= 1

    not_enrolled = await platform.get(
        f"/api/v1/courses/{course_id}/lessons/{lessons[0]}/playback", headers=learner
    )
    assert not_enrolled.status_code == 403

    enrolled = await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    playback = await platform.get(
        f"/api/v1/courses/{course_id}/lessons/{lessons[0]}/playback", headers=learner
    )
    assert playback.status_code == 200, playback.text
    assert playback.json()["url"]

    for lesson_id in lessons:
        done = await platform.post(
            f"/api/v1/courses/{course_id}/lessons/{lesson_id}/complete", headers=learner
        )
        assert done.status_code == 200, done.text
    again = await platform.post(
        f"/api/v1/courses/{course_id}/lessons/{lessons[-1]}/complete", headers=learner
    )
    assert again.status_code == 200

    progress = (await platform.get(f"/api/v1/courses/{course_id}/progress", headers=learner)).json()
    assert progress["percentage"] == 100
    assert progress["completed_at"]

    # The app runs in the test client's own thread and loop: read the bus, don't drive it.
    bus: InProcessBus = platform.app.state.event_bus

    async def completed_once() -> bool:
        return _completed_events(bus, course_id) >= 1

    await eventually(completed_once)
    await asyncio.sleep(0.5)  # a duplicate would have arrived by now
    assert _completed_events(bus, course_id) == 1


async def test_learners_cannot_author_or_read_each_others_progress(platform: Client) -> None:
    learner, admin = await _auth(platform, LEARNER), await _auth(platform, ADMIN)
    forbidden = await platform.post(
        "/api/v1/courses",
        headers=learner,
        json={"title": "Mine", "provider": "gcp", "level": "beginner"},
    )
    assert forbidden.status_code == 403
    admin_id = (await platform.get("/api/v1/users/me", headers=admin)).json()["id"]
    catalog = (await platform.get("/api/v1/courses")).json()["items"]
    other = await platform.get(
        f"/api/v1/courses/{catalog[0]['id']}/progress",
        params={"user_id": admin_id},
        headers=learner,
    )
    assert other.status_code in (403, 404)
