"""Hands-on labs through the embedded platform: the pro learner enrolls in the demo AWS
course, launches its lab lesson (courses -> labs in process), works in the session's own
account on the in-process moto server with boto3, validates, ends the session, and
``lab.session_ended`` leaves on the bus once. Another learner cannot see the session;
the free learner's plan does not cover an advanced lab."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings
from cmh.contracts.events.base import decode_envelope
from cmh.courses.demo_catalog import DEMO_LAB_TEMPLATES
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.labs.adapters.local_moto.server import EmbeddedMoto
from cmh.labs.demo_seed import GCP_BUCKET, S3_VERSIONING
from cmh.users.demo_seed import DEMO_ACCOUNTS
from tests.e2e.support import eventually

Client = AsyncTestClient[Any]
LEARNER, _, _, PRO = DEMO_ACCOUNTS
S3_LESSON = next(title for title, ref in DEMO_LAB_TEMPLATES.items() if ref == S3_VERSIONING)


async def _auth(client: Client, account: Any) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def _s3_lab_lesson(client: Client) -> tuple[str, str]:
    """The demo course whose lab lesson refers to the S3 versioning template."""
    catalog = (await client.get("/api/v1/courses", params={"provider": "aws"})).json()
    for item in catalog["items"]:
        course = (await client.get(f"/api/v1/courses/{item['id']}")).json()
        for module in course["modules"]:
            for lesson in module["lessons"]:
                if lesson["kind"] == "lab" and lesson["title"] == S3_LESSON:
                    return course["id"], lesson["id"]
    raise AssertionError("no demo course with the S3 lab")


def _learner_creates_a_versioned_bucket(session: dict[str, Any], name: str) -> None:
    credentials = session["credentials"]
    s3 = boto3.client(
        "s3",
        endpoint_url=session["endpoint"],
        region_name=session["region"],
        aws_access_key_id=credentials["access_key_id"],
        aws_secret_access_key=credentials["secret_access_key"],
        aws_session_token=credentials["session_token"],
    )
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def _ended_events(bus: InProcessBus, session_id: str) -> int:
    return sum(
        1
        for message in list(bus.published)  # a snapshot: the app thread keeps appending
        if (envelope := decode_envelope(message.payload)).type == "lab.session_ended"
        and session_id in bytes(envelope.data).decode()
    )


async def test_a_pro_learner_s_lab_from_a_lesson_end_to_end(platform: Client) -> None:
    pro = await _auth(platform, PRO)
    course_id, lesson_id = await _s3_lab_lesson(platform)
    enrolled = await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=pro)
    assert enrolled.status_code in {200, 201}, enrolled.text

    launched = await platform.post(
        f"/api/v1/courses/{course_id}/lessons/{lesson_id}/lab", headers=pro
    )
    assert launched.status_code == 202, launched.text
    assert (launched.json()["template_id"], launched.json()["lesson_id"]) == (
        S3_VERSIONING,
        lesson_id,
    )
    path = f"/api/v1/labs/sessions/{launched.json()['id']}"

    async def ready() -> bool:
        return bool((await platform.get(path, headers=pro)).json()["status"] == "ready")

    await eventually(ready)
    session = (await platform.get(path, headers=pro)).json()
    assert session["endpoint"].startswith("http://127.0.0.1:")
    assert session["course_id"] == course_id

    learner = await _auth(platform, LEARNER)
    assert (await platform.get(path, headers=learner)).status_code == 404

    bucket = f"logs-{uuid.uuid4().hex[:12]}"
    await asyncio.to_thread(_learner_creates_a_versioned_bucket, session, bucket)
    graded = await platform.post(f"{path}/validate", headers=pro)
    assert graded.status_code == 200, graded.text
    assert all(task["passed"] for task in graded.json()["tasks"])
    assert graded.json()["score"] == graded.json()["max_score"]

    ended = await platform.delete(path, headers=pro)
    assert ended.status_code == 202, ended.text

    async def over() -> bool:
        return bool((await platform.get(path, headers=pro)).json()["status"] == "ended")

    await eventually(over)
    bus: InProcessBus = platform.app.state.event_bus

    async def ended_once() -> bool:
        return _ended_events(bus, session["id"]) == 1

    await eventually(ended_once)
    await asyncio.sleep(0.5)  # nothing publishes it a second time
    assert _ended_events(bus, session["id"]) == 1


async def test_the_free_learner_s_plan_covers_the_beginner_lab_only(platform: Client) -> None:
    learner = await _auth(platform, LEARNER)
    refused = await platform.post(
        "/api/v1/labs/sessions", json={"template_id": GCP_BUCKET}, headers=learner
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_entitled")
    launched = await platform.post(
        "/api/v1/labs/sessions", json={"template_id": S3_VERSIONING}, headers=learner
    )
    assert launched.status_code == 202, launched.text
    path = f"/api/v1/labs/sessions/{launched.json()['id']}"

    last: dict[str, object] = {}

    async def status_is(wanted: str) -> bool:
        last.update((await platform.get(path, headers=learner)).json())
        return last["status"] == wanted

    # The embedded platform's jobs share its process with the warm pool's and the timers:
    # on a loaded machine a provisioning takes longer than a minute. A session that never
    # gets there is reported as it last was (its status, reason and timestamps).
    try:
        await eventually(lambda: status_is("ready"), timeout=180)
        assert (await platform.delete(path, headers=learner)).status_code == 202
        await eventually(lambda: status_is("ended"), timeout=180)
    except AssertionError as stuck:
        shown = {k: last.get(k) for k in ("status", "reason", "requested_at", "ready_at")}
        raise AssertionError(f"{stuck}; the session as it last was: {shown}") from None


async def test_the_labs_moto_server_lives_as_long_as_the_platform(tmp_path: Path) -> None:
    app = create_app(PlatformSettings(data_dir=str(tmp_path), seed_demo_data=False))
    async with AsyncTestClient(app) as client:
        container: AsyncContainer = app.state.dishka_container
        # On the app's own loop (its lifespan runs in the client's portal).
        moto: EmbeddedMoto = client.blocking_portal.call(container.get, EmbeddedMoto)
        endpoint = moto.endpoint_url
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"{endpoint}/moto-api/")).status_code == 200
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"{endpoint}/moto-api/")
