"""Putting an asset in a lesson over HTTP: someone else's asset is a 422 naming
``asset_id`` (answered exactly as for a missing asset), never a lesson."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh_testing.courses import CoursesTestApp

OWNER = Principal(user_id="teacher", roles=frozenset({"instructor"}))
RIVAL = Principal(user_id="rival", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))

Client = AsyncTestClient[Litestar]


async def draft_with_module(client: Client, harness: CoursesTestApp, author: Principal) -> str:
    created = await client.post(
        "/api/v1/courses",
        json={
            "title": "Free GCP intro",
            "summary": "Borrowed?",
            "provider": "gcp",
            "level": "beginner",
        },
        headers=harness.auth(author),
    )
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules",
        json={"title": "Basics"},
        headers=harness.auth(author),
    )
    assert module.status_code == 201, module.text
    return f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons"


def video(asset_id: str) -> dict[str, Any]:
    return {"title": "Intro", "kind": "video", "duration_minutes": 3, "asset_id": asset_id}


@pytest.mark.parametrize("status", ["created", "ready"])
async def test_another_instructors_asset_is_422_naming_asset_id(
    client: Client, harness: CoursesTestApp, status: str
) -> None:
    media = await harness.media()
    media.add_asset("demo-video-gcp-intro", owner_id=OWNER.user_id, status=status)
    lessons = await draft_with_module(client, harness, RIVAL)
    answer = await client.post(
        lessons, json=video("demo-video-gcp-intro"), headers=harness.auth(RIVAL)
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["code"] == "asset_not_found"
    assert problem["errors"][0]["field"] == "asset_id"
    assert media.attachments == set()


async def test_the_owner_and_an_admin_may_use_it(client: Client, harness: CoursesTestApp) -> None:
    media = await harness.media()
    media.add_asset("own-video", owner_id=OWNER.user_id)
    lessons = await draft_with_module(client, harness, OWNER)
    mine = await client.post(lessons, json=video("own-video"), headers=harness.auth(OWNER))
    assert mine.status_code == 201, mine.text
    rival_lessons = await draft_with_module(client, harness, RIVAL)
    by_admin = await client.post(
        rival_lessons, json=video("own-video"), headers=harness.auth(ADMIN)
    )
    assert by_admin.status_code == 201, by_admin.text
    assert len(media.attachments) == 2
