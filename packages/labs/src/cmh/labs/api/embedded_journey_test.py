"""The whole journey on the embedded profile's own clouds: AWS on the in-process moto
server with IAM enforced. The learner uses the session's credentials with boto3 as they
would with the AWS CLI, validation sees their bucket, ending leaves nothing behind and
``lab.session_ended`` is in the outbox once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.clock import FrozenClock
from cmh.kernel.sql.tables import outbox
from cmh.labs.adapters.memory.jobs import MemoryLabJobs
from cmh.labs.api.conftest import INSTRUCTOR, LEARNER, Client
from cmh.labs.application.ports import CloudLabs
from cmh.labs.domain.template import CloudProvider
from cmh_testing.labs import LabsTestApp, build_labs_test_app, template_body


@pytest.fixture
async def real(tmp_path: Path) -> AsyncIterator[LabsTestApp]:
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    built = await build_labs_test_app(tmp_path, clock, real_clouds=True)
    yield built
    await built.container.close()


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


async def test_a_learner_s_lab_on_the_embedded_moto_server(real: LabsTestApp) -> None:
    jobs = await real.container.get(MemoryLabJobs)
    client: Client
    async with AsyncTestClient(real.app) as client:
        created = await client.post(
            "/api/v1/labs/templates", json=template_body(), headers=real.auth(INSTRUCTOR)
        )
        assert created.status_code == 201, created.text
        launched = await client.post(
            "/api/v1/labs/sessions",
            json={"template_id": created.json()["id"]},
            headers=real.auth(LEARNER),
        )
        assert launched.status_code == 202, launched.text
        await jobs.idle()
        path = f"/api/v1/labs/sessions/{launched.json()['id']}"
        session = (await client.get(path, headers=real.auth(LEARNER))).json()
        assert session["status"] == "ready", session["history"]
        assert session["endpoint"].startswith("http://127.0.0.1:")

        bucket = f"logs-{uuid.uuid4().hex[:12]}"
        await asyncio.to_thread(_learner_creates_a_versioned_bucket, session, bucket)
        graded = (await client.post(f"{path}/validate", headers=real.auth(LEARNER))).json()
        assert (graded["score"], graded["max_score"]) == (10, 10)

        ended = await client.delete(path, headers=real.auth(LEARNER))
        assert ended.status_code == 202
        await jobs.idle()
        final = (await client.get(path, headers=real.auth(LEARNER))).json()
        assert (final["status"], final["outcome"]) == ("ended", "completed")

    aws = (await real.container.get(CloudLabs)).for_provider(CloudProvider.AWS)
    assert await aws.inventory(session["id"]) == ()
    engine = await real.container.get(AsyncEngine)
    async with engine.connect() as connection:
        ended_events = await connection.scalar(
            select(func.count()).where(outbox.c.event_type == "lab.session_ended")
        )
    assert ended_events == 1
