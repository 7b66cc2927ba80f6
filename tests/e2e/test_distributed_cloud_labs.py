"""Azure and GCP labs in the distributed profile, through the gateway only: the labs worker
provisions through Microsoft's and Google's SDKs (the profile's local Resource Managers,
Azurite, fake-gcs-server), the learner does the task with what the session hands out,
validation sees it, ending tears it down.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from azure.storage.blob import BlobServiceClient
from google.auth.credentials import AnonymousCredentials
from google.cloud.storage import Client as StorageClient

from cmh_testing.kernel.servers import server_url
from tests.e2e.support import eventually
from tests.e2e.test_distributed_labs import PROVISIONING_SECONDS, new_instructor, register

pytestmark = [pytest.mark.integration, pytest.mark.distributed]


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


def storage_template(provider: str, region: str) -> dict[str, Any]:
    return {
        "title": f"Cloud journey {uuid.uuid4().hex[:6]}: a site's storage on {provider}",
        "provider": provider,
        "level": "beginner",
        "allowed_regions": [region],
        "allowed_services": ["storage"],
        "resources": [{"type": "bucket", "name_prefix": "data-"}],
        "tasks": [
            {
                "id": "site-bucket",
                "title": "A site bucket",
                "hint": "Make a bucket whose name starts with site-.",
                "points": 5,
                "check": {"type": "bucket", "name_prefix": "site-"},
            }
        ],
        "time_limit_minutes": 30,
        "max_extension_minutes": 0,
        "budget_cap_usd": "1.00",
    }


def azure_learner_makes_a_container(session: dict[str, Any]) -> None:
    """The session's Blob endpoint and account SAS, as Azure Storage Explorer would use."""
    blobs = BlobServiceClient(
        session["endpoint"], credential=session["credentials"]["secret_access_key"]
    )
    blobs.create_container(f"site-{uuid.uuid4().hex[:8]}")


def gcp_learner_makes_a_bucket(session: dict[str, Any]) -> None:
    """A bucket of the session's project, named with its suffix (the project id's tail)."""
    project = session["account_id"]
    storage = StorageClient(
        project=project,
        credentials=AnonymousCredentials(),  # type: ignore[no-untyped-call]
        client_options={"api_endpoint": session["endpoint"]},
    )
    suffix = project.removeprefix("cmh-lab")
    storage.create_bucket(f"site-{uuid.uuid4().hex[:8]}{suffix}", project=project)


@pytest.mark.parametrize(
    ("provider", "region", "learner_does_the_task"),
    [
        ("azure", "westeurope", azure_learner_makes_a_container),
        ("gcp", "europe-west1", gcp_learner_makes_a_bucket),
    ],
)
async def test_a_storage_lab_on_a_local_cloud(
    gateway: httpx.AsyncClient, provider: str, region: str, learner_does_the_task: Any
) -> None:
    instructor = await new_instructor(gateway)
    _, learner = await register(gateway)
    created = await gateway.post(
        "/api/v1/labs/templates", headers=instructor, json=storage_template(provider, region)
    )
    assert created.status_code == 201, created.text

    launched = await gateway.post(
        "/api/v1/labs/sessions", headers=learner, json={"template_id": created.json()["id"]}
    )
    assert launched.status_code == 202, launched.text
    path = f"/api/v1/labs/sessions/{launched.json()['id']}"

    async def status_is(wanted: str) -> bool:
        session = (await gateway.get(path, headers=learner)).json()
        assert session["status"] not in ("failed", "quarantined"), session["history"]
        return bool(session["status"] == wanted)

    await eventually(lambda: status_is("ready"), timeout=PROVISIONING_SECONDS)
    session = (await gateway.get(path, headers=learner)).json()
    assert session["provider"] == provider
    assert session["endpoint"]

    before = (await gateway.post(f"{path}/validate", headers=learner)).json()
    assert (before["score"], before["max_score"]) == (0, 5)
    await asyncio.to_thread(learner_does_the_task, session)
    graded = (await gateway.post(f"{path}/validate", headers=learner)).json()
    assert (graded["score"], graded["max_score"]) == (5, 5)

    ended = await gateway.delete(path, headers=learner)
    assert ended.status_code == 202, ended.text
    await eventually(lambda: status_is("ended"), timeout=PROVISIONING_SECONDS)
    final = (await gateway.get(path, headers=learner)).json()
    assert final["outcome"] == "completed"
