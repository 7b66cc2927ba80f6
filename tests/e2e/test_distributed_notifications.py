"""Notifications in the distributed profile, through the gateway only (`make
up-distributed`): the notifications API and worker are their own processes, events cross
Kafka, the worker's mail jobs cross the profile's SQS (moto) to mailpit, and a push
published by the worker reaches the socket the API holds through Redis Pub/Sub and the
gateway's WebSocket proxy.

A new learner is welcomed; with their socket open they enroll in a course an admin just
published, and courses' ``enrollment.created`` becomes an inbox entry, a live push and a
mail read back from mailpit, whose unsubscribe link works signed out through the gateway.
Users' verification mail arrives through notifications' internal port too.

Another source: a learner asks in the demo course's forum, the demo instructor replies, and
the forum worker's ``forum.reply_created`` becomes the learner's inbox entry and a mail read
back from mailpit; the instructor hears nothing of their own reply.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from cmh.users.demo_seed import DEMO_ACCOUNTS
from cmh_testing.kernel.servers import server_url
from cmh_testing.notifications.mailpit import Mailpit
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
PASSWORD = "a long notified journey 42"
_, INSTRUCTOR, _, _ = DEMO_ACCOUNTS
FORUM_COURSE_TITLE = "AWS Cloud Practitioner Essentials"


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> str:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def published_course(client: httpx.AsyncClient) -> str:
    author = {
        "authorization": "Bearer "
        + await login(
            client, server_url("CMH_TEST_ADMIN_EMAIL"), server_url("CMH_TEST_ADMIN_PASSWORD")
        )
    }
    created = await client.post(
        "/api/v1/courses",
        headers=author,
        json={
            "title": f"Notified {uuid.uuid4().hex[:6]}: IAM basics",
            "provider": "aws",
            "level": "beginner",
            "tags": ["iam"],
            "summary": "Users, groups and policies.",
        },
    )
    assert created.status_code == 201, created.text
    course_id: str = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", headers=author, json={"title": "Policies"}
    )
    assert module.status_code == 201, module.text
    lesson = await client.post(
        f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
        headers=author,
        json={"title": "Least privilege", "kind": "text", "duration_minutes": 5},
    )
    assert lesson.status_code == 201, lesson.text
    published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=author)
    assert published.status_code == 200, published.text
    return course_id


async def test_an_event_from_courses_reaches_the_inbox_the_socket_and_mailpit(
    gateway: httpx.AsyncClient,
) -> None:
    email = f"notified-{uuid.uuid4().hex[:10]}@example.org"
    registered = await gateway.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Notified"},
    )
    assert registered.status_code == 201, registered.text
    token = await login(gateway, email, PASSWORD)
    auth = {"authorization": f"Bearer {token}"}

    async def welcomed() -> bool:
        page = await gateway.get("/api/v1/notifications/me", headers=auth)
        return [n["kind"] for n in page.json()["items"]] == ["user.welcome"]

    await eventually(welcomed)  # user.registered -> Kafka -> the notifications worker
    course_id = await published_course(gateway)
    stream = str(gateway.base_url).replace("http://", "ws://").rstrip("/")
    offered = [Subprotocol("cmh.bearer"), Subprotocol(token)]
    async with connect(
        f"{stream}/api/v1/notifications/stream", subprotocols=offered, proxy=None
    ) as socket:
        assert socket.subprotocol == "cmh.bearer"
        assert json.loads(await asyncio.wait_for(socket.recv(), 10)) == {"type": "ready"}
        enrolled = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=auth)
        assert enrolled.status_code == 201, enrolled.text
        # courses' outbox -> Kafka -> the worker -> Redis Pub/Sub -> the API -> the gateway.
        pushed: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 60))
    assert (pushed["kind"], pushed["link"]) == ("course.enrolled", f"/courses/{course_id}")

    page = (await gateway.get("/api/v1/notifications/me", headers=auth)).json()
    assert [n["kind"] for n in page["items"]] == ["course.enrolled", "user.welcome"]
    assert page["items"][0]["id"] == pushed["id"]

    mailpit = Mailpit(os.environ.get("CMH_TEST_MAILPIT_URL"))
    try:
        delivered = await asyncio.to_thread(mailpit.to, email, expect=3, within=60)
    finally:
        mailpit.close()
    subjects = sorted(m["Subject"] for m in delivered)
    assert subjects == [
        "Confirm your email address",  # users' account mail, through notifications
        "Welcome to CloudMastersHub, Notified",
        "You are enrolled",
    ]
    verification = next(m for m in delivered if m["Subject"] == "Confirm your email address")
    assert "/verify-email#token=" in verification["Text"]
    enrolment = next(m for m in delivered if m["Subject"] == "You are enrolled")
    link = urlparse(enrolment["Headers"]["List-Unsubscribe"][0].strip("<>"))
    done = await gateway.post(f"{link.path}?{link.query}")  # signed out, one click
    assert done.json() == {"category": "learning", "channel": "email"}
    preferences = await gateway.get("/api/v1/notifications/preferences/me", headers=auth)
    assert preferences.json()["channels"]["learning"] == ["inbox", "push"]

    me = (await gateway.get("/api/v1/users/me", headers=auth)).json()
    admin = await login(
        gateway, server_url("CMH_TEST_ADMIN_EMAIL"), server_url("CMH_TEST_ADMIN_PASSWORD")
    )
    log = await gateway.get(
        "/api/v1/admin/notifications/deliveries",
        params={"recipient_id": me["id"], "channel": "email"},
        headers={"authorization": f"Bearer {admin}"},
    )
    assert sorted(d["status"] for d in log.json()) == ["sent", "sent", "sent"]
    refused = await gateway.get("/api/v1/admin/notifications/deliveries", headers=auth)
    assert refused.status_code == 403


async def test_a_forum_reply_reaches_the_threads_author_inbox_and_mailpit(
    gateway: httpx.AsyncClient,
) -> None:
    email = f"asked-{uuid.uuid4().hex[:10]}@example.org"
    registered = await gateway.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Asker"},
    )
    assert registered.status_code == 201, registered.text
    learner = {"authorization": f"Bearer {await login(gateway, email, PASSWORD)}"}
    instructor = {
        "authorization": f"Bearer {await login(gateway, INSTRUCTOR.email, INSTRUCTOR.password)}"
    }
    # Searched by title: a long-lived profile's catalog holds other tests' courses too.
    catalog = (
        await gateway.get("/api/v1/courses", params={"provider": "aws", "q": FORUM_COURSE_TITLE})
    ).json()
    course_id = next(c["id"] for c in catalog["items"] if c["title"] == FORUM_COURSE_TITLE)
    enrolled = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    [board] = (
        await gateway.get("/api/v1/forum/boards", params={"course_id": course_id}, headers=learner)
    ).json()
    started = await gateway.post(
        f"/api/v1/forum/boards/{board['id']}/threads",
        json={"title": f"Backups {uuid.uuid4().hex[:8]}", "body": "Which storage class?"},
        headers=learner,
    )
    assert started.status_code == 201, started.text
    thread_id = started.json()["id"]
    reply = await gateway.post(
        f"/api/v1/forum/threads/{thread_id}/replies",
        json={"body": "Glacier Deep Archive."},
        headers=instructor,
    )
    assert reply.status_code == 201, reply.text

    async def told() -> bool:
        page = await gateway.get("/api/v1/notifications/me", headers=learner)
        return "forum.reply" in [n["kind"] for n in page.json()["items"]]

    await eventually(told)  # forum's outbox -> Kafka -> the notifications worker
    page = (await gateway.get("/api/v1/notifications/me", headers=learner)).json()
    [entry] = [n for n in page["items"] if n["kind"] == "forum.reply"]
    assert (entry["category"], entry["link"]) == (
        "community",
        f"/forum/threads/{thread_id}#post-{reply.json()['id']}",
    )
    mailpit = Mailpit(os.environ.get("CMH_TEST_MAILPIT_URL"))
    try:
        delivered = await asyncio.to_thread(mailpit.to, email, expect=4, within=60)
    finally:
        mailpit.close()
    assert "New reply to your thread" in [m["Subject"] for m in delivered]
    mine = (await gateway.get("/api/v1/notifications/me", headers=instructor)).json()
    replies = [n for n in mine["items"] if n["kind"] == "forum.reply"]
    assert f"/forum/threads/{thread_id}#post-{reply.json()['id']}" not in [
        n["link"] for n in replies
    ]
