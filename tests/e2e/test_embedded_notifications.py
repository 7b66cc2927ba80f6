"""Notifications through the embedded platform, served by a real server (uvicorn, as
`make run` serves it): a new learner is welcomed, enrolls in a course, and courses'
``enrollment.created`` becomes an inbox entry, a live push on the learner's open socket
and a mail in the platform's mail file (beside users' verification mail, also sent by
notifications); the mail's unsubscribe link works signed out through the gateway's
policies; the inbox is the learner's alone."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings
from cmh.kernel.settings import HttpSettings
from cmh_testing.kernel.serving import free_port, running
from cmh_testing.users.app import CHEAP_HASHING
from tests.e2e.support import eventually, mails

EMAIL, PASSWORD = "nia@example.org", "correct horse battery"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[str]:
    port = free_port()
    settings = PlatformSettings(data_dir=str(tmp_path), http=HttpSettings(port=port))
    app = create_app(settings, CHEAP_HASHING)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        ws="websockets-sansio",
        lifespan="on",
        log_level="warning",
    )
    async with running(config) as base:
        yield base


async def first_free_course(client: httpx.AsyncClient, auth: dict[str, str]) -> str:
    for item in (await client.get("/api/v1/courses")).json()["items"]:
        enrolled = await client.post(f"/api/v1/courses/{item['id']}/enrollments", headers=auth)
        if enrolled.status_code == 201:
            return str(item["id"])
    raise AssertionError("no demo course a free learner may take")


async def test_an_enrollment_reaches_the_inbox_the_open_socket_and_the_mail(
    served: str, tmp_path: Path
) -> None:
    async with httpx.AsyncClient(base_url=served, timeout=30) as client:
        registered = await client.post(
            "/api/v1/auth/register",
            json={"email": EMAIL, "password": PASSWORD, "display_name": "Nia <3"},
        )
        assert registered.status_code == 201, registered.text
        login = await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
        token = login.json()["access_token"]
        auth = {"authorization": f"Bearer {token}"}

        async def welcomed() -> bool:
            page = (await client.get("/api/v1/notifications/me", headers=auth)).json()
            return [n["kind"] for n in page["items"]] == ["user.welcome"]

        await eventually(welcomed, timeout=30)
        stream = served.replace("http://", "ws://") + "/api/v1/notifications/stream"
        offered = [Subprotocol("cmh.bearer"), Subprotocol(token)]
        async with connect(stream, subprotocols=offered, proxy=None) as socket:
            assert json.loads(await asyncio.wait_for(socket.recv(), 10)) == {"type": "ready"}
            course_id = await first_free_course(client, auth)
            pushed: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 30))
        assert (pushed["kind"], pushed["link"]) == ("course.enrolled", f"/courses/{course_id}")

        page = (await client.get("/api/v1/notifications/me", headers=auth)).json()
        assert [n["kind"] for n in page["items"]] == ["course.enrolled", "user.welcome"]
        assert pushed["id"] == page["items"][0]["id"]
        count = await client.get("/api/v1/notifications/me/unread-count", headers=auth)
        assert count.json() == {"unread": 2}

        async def mailed() -> bool:
            return len(mails(tmp_path, EMAIL)) == 3

        await eventually(mailed, timeout=30)
        by_subject = {m.subject: m for m in mails(tmp_path, EMAIL)}
        # Users' account mail goes through notifications too (in process).
        assert "/verify-email#token=" in by_subject["Confirm your email address"].text
        welcome = by_subject["Welcome to CloudMastersHub, Nia <3"]
        enrolled = by_subject["You are enrolled"]
        assert welcome.subject == "Welcome to CloudMastersHub, Nia <3"
        assert "Nia &lt;3" in welcome.html
        assert enrolled.subject == "You are enrolled"
        assert f"{served}/courses/{course_id}" in enrolled.text

        # The learner's own entry; a demo learner's token finds nothing of it.
        other = await client.post(
            "/api/v1/auth/login",
            json={"email": "learner@cloudmastershub.dev", "password": "learn-the-cloud-42"},
        )
        foreign = {"authorization": f"Bearer {other.json()['access_token']}"}
        entry = page["items"][0]["id"]
        refused = await client.post(f"/api/v1/notifications/{entry}/read", headers=foreign)
        assert refused.status_code == 404

        # One click, signed out, through the platform's gateway policies.
        link = urlparse(enrolled.headers["List-Unsubscribe"].strip("<>"))
        done = await client.post(f"{link.path}?{link.query}")
        assert done.json() == {"category": "learning", "channel": "email"}
        tampered = await client.get(f"{link.path}?{link.query}x")
        assert tampered.status_code == 422
