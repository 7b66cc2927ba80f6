"""The forum through the embedded platform: the demo course's board has the instructor's
pinned welcome thread; a learner not enrolled may not post (403), enrolls, starts a
thread mentioning the instructor by email address (resolved in users: one
``forum.user_mentioned`` naming the instructor's id), the instructor replies and the answer
is accepted; the search finds the reply once its event reached the index (in process,
through the outbox); the learner unenrolls (``enrollment.cancelled``), stops following the
thread and may no longer post there. The forum's store is the platform's SQLite: a
thread survives a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings
from cmh.contracts.events.base import decode_envelope
from cmh.contracts.events.forum import UserMentionedV1
from cmh.forum.application.ports import ThreadStore
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.users.demo_seed import DEMO_ACCOUNTS
from cmh_testing.users.app import CHEAP_HASHING
from tests.e2e.support import eventually, in_app

Client = AsyncTestClient[Any]
LEARNER, INSTRUCTOR, _, _ = DEMO_ACCOUNTS
COURSE_TITLE = "AWS Cloud Practitioner Essentials"


async def _auth(client: Client, account: Any) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def test_enroll_post_reply_and_search_finds_it(platform: Client) -> None:
    learner = await _auth(platform, LEARNER)
    instructor = await _auth(platform, INSTRUCTOR)
    catalog = (await platform.get("/api/v1/courses", params={"provider": "aws"})).json()
    course_id = next(c["id"] for c in catalog["items"] if c["title"] == COURSE_TITLE)
    boards = await platform.get(
        "/api/v1/forum/boards", params={"course_id": course_id}, headers=instructor
    )
    assert boards.status_code == 200, boards.text
    [board] = boards.json()
    threads = await platform.get(f"/api/v1/forum/boards/{board['id']}/threads", headers=instructor)
    [welcome] = threads.json()["items"]
    assert welcome["pinned"]

    instructor_id = (await platform.get("/api/v1/users/me", headers=instructor)).json()["id"]
    question = {
        "title": "Which storage class for backups?",
        "body": f"Asking @{INSTRUCTOR.email} (not @nobody@example.com, nor @teacher)",
    }
    refused = await platform.post(
        f"/api/v1/forum/boards/{board['id']}/threads", json=question, headers=learner
    )
    assert refused.status_code == 403, refused.text
    enrolled = await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    started = await platform.post(
        f"/api/v1/forum/boards/{board['id']}/threads", json=question, headers=learner
    )
    assert started.status_code == 201, started.text
    thread_id = started.json()["id"]
    reply = await platform.post(
        f"/api/v1/forum/threads/{thread_id}/replies",
        json={"body": "Glacier Deep Archive is the cheapest for backups."},
        headers=instructor,
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["by_instructor"]
    accepted = await platform.post(
        f"/api/v1/forum/threads/{thread_id}/accept/{reply.json()['id']}", headers=learner
    )
    assert accepted.status_code == 200, accepted.text

    async def found() -> bool:
        hits = await platform.get(
            "/api/v1/forum/search", params={"q": "glacier deep archive"}, headers=learner
        )
        return [h["post_id"] for h in hits.json()["items"]] == [reply.json()["id"]]

    await eventually(found)

    bus: InProcessBus = platform.app.state.event_bus
    mentions = [
        msgspec.json.decode(decode_envelope(m.payload).data, type=UserMentionedV1)
        for m in list(bus.published)
        if m.headers.get("ce_type") == UserMentionedV1.TYPE
    ]
    assert [(m.thread_id, m.mentioned_user_id) for m in mentions] == [(thread_id, instructor_id)]

    followed = await platform.post(f"/api/v1/forum/threads/{thread_id}/follow", headers=learner)
    assert followed.status_code < 300, followed.text
    left = await platform.delete(f"/api/v1/courses/{course_id}/enrollments/me", headers=learner)
    assert left.status_code == 204, left.text

    learner_id = (await platform.get("/api/v1/users/me", headers=learner)).json()["id"]
    container: AsyncContainer = platform.app.state.dishka_container

    async def unfollowed() -> bool:
        async def read() -> bool:
            async with container() as request:
                thread = await (await request.get(ThreadStore)).get(thread_id)
            return thread is not None and learner_id not in thread.followers

        return await in_app(platform, read)

    await eventually(unfollowed)
    again = await platform.post(
        f"/api/v1/forum/threads/{thread_id}/replies", json={"body": "One more"}, headers=learner
    )
    assert again.status_code in (403, 404), again.text


async def test_a_thread_survives_a_restart_on_the_same_data_folder(tmp_path: Path) -> None:
    """The forum persists in the platform's SQLite: a second app on the same data folder
    reads the thread, its reply and its follower back, and its search finds the reply."""
    settings = PlatformSettings(data_dir=str(tmp_path))
    async with AsyncTestClient(create_app(settings, CHEAP_HASHING)) as first:
        learner = await _auth(first, LEARNER)
        general = await first.post(
            "/api/v1/forum/boards/general/threads",
            json={"title": "Kept across restarts?", "body": "Lifecycle rules for S3 buckets"},
            headers=learner,
        )
        assert general.status_code == 201, general.text
        thread_id = general.json()["id"]
        reply = await first.post(
            f"/api/v1/forum/threads/{thread_id}/replies",
            json={"body": "Transition to Glacier after ninety days."},
            headers=learner,
        )
        assert reply.status_code == 201, reply.text
    async with AsyncTestClient(create_app(settings, CHEAP_HASHING)) as second:
        learner = await _auth(second, LEARNER)
        thread = await second.get(f"/api/v1/forum/threads/{thread_id}", headers=learner)
        assert thread.status_code == 200, thread.text
        assert thread.json()["thread"]["title"] == "Kept across restarts?"
        assert [p["id"] for p in thread.json()["posts"]][1:] == [reply.json()["id"]]
        listed = await second.get("/api/v1/forum/boards/general/threads", headers=learner)
        assert thread_id in [t["id"] for t in listed.json()["items"]]
        hits = await second.get(
            "/api/v1/forum/search", params={"q": "glacier ninety"}, headers=learner
        )
        assert [h["post_id"] for h in hits.json()["items"]] == [reply.json()["id"]]
