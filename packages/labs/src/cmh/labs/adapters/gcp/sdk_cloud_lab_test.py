"""``GcpCloudLab`` beyond the shared contract: templates it refuses, versioned buckets torn
down with every generation, a deleted project, orphans by label. Against infra/local's
fake-gcs-server and a local Resource Manager."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from cmh.kernel.errors import Conflict, InvalidInput
from cmh.labs.adapters.gcp.labels import SESSION_LABEL, label_value
from cmh.labs.adapters.gcp.sdk_cloud_lab import GcpCloudLab, project_id
from cmh.labs.application.ports import CloudLab
from cmh.labs.domain.checks import BucketCheck
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    LabTemplate,
    Level,
    NetworkSpec,
    ResourceSpec,
    TaskSpec,
)
from cmh_testing.labs.sdk_clouds import gcp_sdk_lab

pytestmark = pytest.mark.integration

REGION = "europe-west1"


def _template(*resources: ResourceSpec) -> LabTemplate:
    return LabTemplate.create(
        "tpl-gcp",
        owner_id="instructor-1",
        title="Versioned archive",
        provider=CloudProvider.GCP,
        level=Level.ADVANCED,
        allowed_regions=(REGION,),
        allowed_services=("storage", "compute"),
        resources=resources,
        tasks=(TaskSpec("a", "Archive", "A versioned archive-...", 5, BucketCheck("archive-")),),
        time_limit=timedelta(hours=1),
        budget_cap_usd=Decimal("1"),
        now=datetime(2026, 11, 30, tzinfo=UTC),
    )


ARCHIVE = _template(BucketSpec("archive-", versioning=True))


@pytest.fixture
def cloud_lab() -> Iterator[GcpCloudLab]:
    with gcp_sdk_lab() as lab:
        port: CloudLab = lab  # mypy checks the adapter against the port here
        assert port is lab
        yield lab


def _session() -> str:
    return f"gcp-{secrets.token_hex(4)}"


async def test_a_template_with_a_network_is_refused_before_anything_is_made(
    cloud_lab: GcpCloudLab,
) -> None:
    session = _session()

    with pytest.raises(InvalidInput) as refused:
        await cloud_lab.provision(session, _template(NetworkSpec(), BucketSpec("a-")), REGION)

    assert refused.value.field == "resources"
    assert await cloud_lab.inventory(session) == ()


async def test_the_project_carries_the_session_label(cloud_lab: GcpCloudLab) -> None:
    session = _session()

    lab = await cloud_lab.provision(session, ARCHIVE, REGION)

    project = cloud_lab.projects.get_project(name=f"projects/{lab.account_id}")
    assert project.project_id == project_id(session)
    assert dict(project.labels) == {SESSION_LABEL: label_value(session)}
    assert project.parent == "folders/1000"
    (bucket,) = (await cloud_lab.observe(session)).of_kind("bucket")
    assert bucket.attributes["versioning"] is True


async def test_teardown_deletes_every_generation_then_the_project(
    cloud_lab: GcpCloudLab,
) -> None:
    session = _session()
    await cloud_lab.provision(session, ARCHIVE, REGION)
    (bucket,) = (await cloud_lab.observe(session)).of_kind("bucket")
    blob = cloud_lab.storage.bucket(bucket.name).blob("notes.txt")
    blob.upload_from_string("first")
    blob.upload_from_string("second")

    await cloud_lab.tear_down(session)

    assert await cloud_lab.inventory(session) == ()
    assert cloud_lab.storage.lookup_bucket(bucket.name) is None
    project = cloud_lab.projects.get_project(name=f"projects/{project_id(session)}")
    assert project.state == project.State.DELETE_REQUESTED
    with pytest.raises(Conflict) as held:
        await cloud_lab.provision(session, ARCHIVE, REGION)
    assert held.value.code == "lab_environment_deleted"


async def test_an_empty_project_is_an_orphan(cloud_lab: GcpCloudLab) -> None:
    session, alive = _session(), _session()
    await cloud_lab.provision(session, _template(), REGION)
    await cloud_lab.provision(alive, _template(), REGION)

    assert [r.kind for r in await cloud_lab.inventory(session)] == ["project"]
    found = await cloud_lab.orphans({alive})

    assert session in found
    assert alive not in found
