"""The forum in the distributed profile, through the gateway only: the forum API and
worker are their own processes (`make up-distributed`), courses answers enrollment over
its internal HTTP route, the seed job opened a board per demo course with a welcome
thread, and post events cross Kafka to the worker that indexes them in Elasticsearch.

A new learner may not post before enrolling (403), enrolls, asks; the demo instructor
replies; the search finds the reply once its event was indexed.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from cmh.users.demo_seed import DEMO_ACCOUNTS
from cmh_testing.kernel.servers import server_url
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
PASSWORD = "a long forum journey 42"
_, INSTRUCTOR, _, _ = DEMO_ACCOUNTS
COURSE_TITLE = "AWS Cloud Practitioner Essentials"


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def test_enroll_post_reply_and_search_finds_it(gateway: httpx.AsyncClient) -> None:
    email = f"forum-{uuid.uuid4().hex[:10]}@example.org"
    registered = await gateway.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Forum learner"},
    )
    assert registered.status_code == 201, registered.text
    learner = await login(gateway, email, PASSWORD)
    instructor = await login(gateway, INSTRUCTOR.email, INSTRUCTOR.password)
    # Searched by title: a long-lived profile's catalog holds other tests' courses too.
    catalog = (
        await gateway.get("/api/v1/courses", params={"provider": "aws", "q": COURSE_TITLE})
    ).json()
    course_id = next(c["id"] for c in catalog["items"] if c["title"] == COURSE_TITLE)
    [board] = (
        await gateway.get(
            "/api/v1/forum/boards", params={"course_id": course_id}, headers=instructor
        )
    ).json()
    word = uuid.uuid4().hex[:12]
    question = {"title": f"Backups {word}", "body": "Which storage class?"}
    refused = await gateway.post(
        f"/api/v1/forum/boards/{board['id']}/threads", json=question, headers=learner
    )
    assert refused.status_code == 403, refused.text
    enrolled = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    started = await gateway.post(
        f"/api/v1/forum/boards/{board['id']}/threads", json=question, headers=learner
    )
    assert started.status_code == 201, started.text
    reply = await gateway.post(
        f"/api/v1/forum/threads/{started.json()['id']}/replies",
        json={"body": f"Glacier Deep Archive, {word}."},
        headers=instructor,
    )
    assert reply.status_code == 201, reply.text

    async def found() -> bool:
        hits = await gateway.get("/api/v1/forum/search", params={"q": word}, headers=learner)
        return reply.json()["id"] in [h["post_id"] for h in hits.json()["items"]]

    await eventually(found)
