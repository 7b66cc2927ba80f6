"""A hands-on lab in the distributed profile, through the gateway only: the labs API and
worker are their own processes (`make up-distributed`), provisioning and teardown are
jobs on the SQS queue of the profile's moto server, events leave through the outbox and
Kafka.

An instructor authors a template, a learner launches it, the worker provisions an AWS
account for the session on moto, the learner does the task with the session's own
credentials, validation sees it, ending tears everything down and ``lab.session_ended``
reaches Kafka once.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import boto3
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from cmh.contracts.events.labs import SESSION_TOPIC
from cmh_testing.kernel.servers import kafka_bootstrap, server_url
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
PASSWORD = "a long lab journey 42"
# Provisioning makes an Organizations account, a role and the template's resources.
PROVISIONING_SECONDS = 120


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def register(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    email = f"lab-{uuid.uuid4().hex[:10]}@example.org"
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Lab journey"},
    )
    assert registered.status_code == 201, registered.text
    return email, await login(client, email, PASSWORD)


async def admin(client: httpx.AsyncClient) -> dict[str, str]:
    return await login(
        client, server_url("CMH_TEST_ADMIN_EMAIL"), server_url("CMH_TEST_ADMIN_PASSWORD")
    )


async def new_instructor(client: httpx.AsyncClient) -> dict[str, str]:
    email, learner = await register(client)
    me = await client.get("/api/v1/users/me", headers=learner)
    promoted = await client.patch(
        f"/api/v1/admin/users/{me.json()['id']}",
        headers=await admin(client),
        json={"roles": ["learner", "instructor"]},
    )
    assert promoted.status_code == 200, promoted.text
    # The role is in the next token.
    return await login(client, email, PASSWORD)


def versioning_template() -> dict[str, Any]:
    return {
        "title": f"Lab journey {uuid.uuid4().hex[:6]}: S3 versioning",
        "provider": "aws",
        "level": "beginner",
        "allowed_regions": ["us-east-1"],
        "allowed_services": ["s3"],
        "resources": [{"type": "bucket", "name_prefix": "data-"}],
        "tasks": [
            {
                "id": "logs-bucket",
                "title": "A versioned logs bucket",
                "hint": "Turn versioning on.",
                "points": 10,
                "check": {"type": "bucket", "name_prefix": "logs-", "versioning": True},
            }
        ],
        "time_limit_minutes": 30,
        "max_extension_minutes": 0,
        "budget_cap_usd": "2.00",
    }


def learner_creates_a_versioned_bucket(session: dict[str, Any], name: str) -> None:
    """What the learner does with the AWS CLI or boto3: the session's endpoint, region and
    credentials, nothing of the platform's."""
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


async def session_events(bootstrap: str, session_id: str) -> list[str]:
    """The types of the events on the labs' session topic keyed by this session, read
    from the beginning."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    types: list[str] = []
    try:
        partitions = [
            TopicPartition(SESSION_TOPIC, p)
            for p in (consumer.partitions_for_topic(SESSION_TOPIC) or {0})
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(
            [await consumer.position(tp) < end[tp] for tp in partitions]
        ):
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                for record in records:
                    if record.key is not None and record.key.decode() == session_id:
                        headers = {k: v.decode() for k, v in record.headers}
                        types.append(headers.get("ce_type", ""))
    finally:
        await consumer.stop()
    return types


async def test_a_hands_on_lab_from_launch_to_teardown(gateway: httpx.AsyncClient) -> None:
    instructor = await new_instructor(gateway)
    _, learner = await register(gateway)
    _, other_learner = await register(gateway)

    assert (await gateway.get("/api/v1/labs/templates")).status_code == 401
    created = await gateway.post(
        "/api/v1/labs/templates", headers=instructor, json=versioning_template()
    )
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    catalog = await gateway.get(
        "/api/v1/labs/templates", params={"provider": "aws"}, headers=learner
    )
    assert catalog.status_code == 200, catalog.text
    assert template_id in [template["id"] for template in catalog.json()]
    denied = await gateway.post(
        "/api/v1/labs/templates", headers=learner, json=versioning_template()
    )
    assert denied.status_code == 403

    # A lesson's lab is launched under its course: courses answers (the course, the
    # enrollment, the lesson's lab) before it asks labs; an unknown course is not found.
    lesson_lab = await gateway.post(
        f"/api/v1/courses/{uuid.uuid4()}/lessons/{uuid.uuid4()}/lab", headers=learner
    )
    assert lesson_lab.status_code == 404, lesson_lab.text

    launched = await gateway.post(
        "/api/v1/labs/sessions", headers=learner, json={"template_id": template_id}
    )
    assert launched.status_code == 202, launched.text
    path = f"/api/v1/labs/sessions/{launched.json()['id']}"

    async def ready() -> bool:
        session = (await gateway.get(path, headers=learner)).json()
        assert session["status"] not in ("failed", "quarantined", "ended"), session["history"]
        return bool(session["status"] == "ready")

    await eventually(ready, timeout=PROVISIONING_SECONDS)  # the SQS worker provisioned it
    session = (await gateway.get(path, headers=learner)).json()
    assert session["credentials"]["access_key_id"]
    assert session["endpoint"]
    assert (await gateway.get(path, headers=other_learner)).status_code == 404

    before = (await gateway.post(f"{path}/validate", headers=learner)).json()
    assert (before["score"], before["max_score"]) == (0, 10)
    bucket = f"logs-{uuid.uuid4().hex[:12]}"
    await asyncio.to_thread(learner_creates_a_versioned_bucket, session, bucket)
    graded = await gateway.post(f"{path}/validate", headers=learner)
    assert graded.status_code == 200, graded.text
    assert (graded.json()["score"], graded.json()["max_score"]) == (10, 10)

    ended = await gateway.delete(path, headers=learner)
    assert ended.status_code == 202, ended.text

    async def over() -> bool:
        final = (await gateway.get(path, headers=learner)).json()
        assert final["status"] not in ("failed", "quarantined"), final["history"]
        return bool(final["status"] == "ended")

    await eventually(over, timeout=PROVISIONING_SECONDS)  # the SQS worker tore it down
    final = (await gateway.get(path, headers=learner)).json()
    assert final["outcome"] == "completed"
    assert final["credentials"] is None
    # /api/v1/admin/labs goes to labs, the rest of /api/v1/admin to users.
    listed = await gateway.get(
        "/api/v1/admin/labs/sessions", params={"status": "ended"}, headers=await admin(gateway)
    )
    assert listed.status_code == 200, listed.text
    assert session["id"] in [summary["id"] for summary in listed.json()]

    bootstrap = kafka_bootstrap()
    published: list[str] = []

    async def on_kafka() -> bool:
        published[:] = await session_events(bootstrap, session["id"])
        return "lab.session_ended" in published

    await eventually(on_kafka, timeout=60)  # the labs worker's outbox relay
    assert published.count("lab.session_ended") == 1
    assert published[0] == "lab.session_requested"
