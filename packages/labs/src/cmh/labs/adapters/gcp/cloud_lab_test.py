"""What the GCP lab does beyond the CloudLab contract: labels instead of tags, one bucket
namespace, and the learner's key fenced to its project, its regions and its lifetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from cmh.labs.adapters.gcp.cloud_lab import SimulatedGcpCloudLab, project_id
from cmh.labs.adapters.gcp.labels import SESSION_LABEL, label_value, tags_of_labels
from cmh.labs.adapters.gcp.simulator import Bucket, GcpError, GcpOrganization
from cmh.labs.application.ports import CloudLab, ProvisionedLab
from cmh.labs.domain.checks import SESSION_TAG, BucketCheck
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    InstanceSpec,
    LabTemplate,
    Level,
    NetworkSpec,
    TaskSpec,
)

REGION = "europe-west1"
START = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _template() -> LabTemplate:
    return LabTemplate.create(
        "tpl-gcp",
        owner_id="instructor-1",
        title="Cloud Storage",
        provider=CloudProvider.GCP,
        level=Level.BEGINNER,
        allowed_regions=(REGION,),
        allowed_services=("storage", "compute"),
        resources=(NetworkSpec(), BucketSpec("data-"), InstanceSpec("e2-micro")),
        tasks=(TaskSpec("notes", "Notes", "A notes-... bucket", 1, BucketCheck("notes-")),),
        time_limit=timedelta(hours=1),
        budget_cap_usd=Decimal("2"),
        now=START,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def organization(clock: Clock) -> GcpOrganization:
    return GcpOrganization(clock=clock)


@pytest.fixture
def cloud_lab(organization: GcpOrganization) -> SimulatedGcpCloudLab:
    lab: CloudLab = SimulatedGcpCloudLab(organization)  # mypy checks the port here
    assert isinstance(lab, SimulatedGcpCloudLab)
    return lab


def _bucket_as_learner(
    organization: GcpOrganization, lab: ProvisionedLab, name: str, region: str = REGION
) -> None:
    organization.learner(
        lab.credentials.access_key_id, lab.credentials.secret_access_key
    ).create_bucket(name, region)


@pytest.mark.parametrize(
    "session_id", ["s-1", "3f2a9c1e-7b4d-4e8a-9f00-1c2d3e4f5a6b", "S:42 Ünï", "x61"]
)
def test_a_session_id_survives_a_label_value(session_id: str) -> None:
    value = label_value(session_id)

    assert tags_of_labels({SESSION_LABEL: value}) == {SESSION_TAG: session_id}
    assert all(c.islower() or c.isdigit() or c in "-_" for c in value)


def test_a_session_id_too_long_for_a_label_is_refused() -> None:
    with pytest.raises(ValueError, match="too long"):
        label_value("S" * 40)


async def test_a_session_is_a_labelled_project_with_its_resources_labelled(
    cloud_lab: SimulatedGcpCloudLab, organization: GcpOrganization
) -> None:
    lab = await cloud_lab.provision("Session-1", _template(), REGION)

    project = organization.project(lab.account_id)
    assert project is not None
    assert lab.account_id == project_id("Session-1")
    assert 6 <= len(lab.account_id) <= 30
    assert ":" not in "".join(project.labels)
    assert lab.credentials.access_key_id == f"cmh-learner@{lab.account_id}.iam.gserviceaccount.com"
    observed = (await cloud_lab.observe("Session-1")).resources
    assert {r.tags[SESSION_TAG] for r in observed} == {"Session-1"}
    assert await cloud_lab.orphans(set()) == ["Session-1"]


async def test_bucket_names_are_global(
    cloud_lab: SimulatedGcpCloudLab, organization: GcpOrganization
) -> None:
    mine = await cloud_lab.provision("s-1", _template(), REGION)
    theirs = await cloud_lab.provision("s-2", _template(), REGION)
    _bucket_as_learner(organization, mine, "notes-shared")

    with pytest.raises(GcpError) as taken:
        _bucket_as_learner(organization, theirs, "notes-shared")
    assert taken.value.status == "CONFLICT"
    assert (
        organization.insert_bucket(Bucket("notes-shared", mine.account_id, REGION)).project_id
        == mine.account_id
    )


async def test_the_learner_s_key_is_fenced_to_regions_and_lifetime(
    cloud_lab: SimulatedGcpCloudLab, organization: GcpOrganization, clock: Clock
) -> None:
    lab = await cloud_lab.provision("s-1", _template(), REGION)

    with pytest.raises(GcpError) as far:
        _bucket_as_learner(organization, lab, "notes-far", "us-central1")
    assert far.value.status == "PERMISSION_DENIED"
    with pytest.raises(GcpError) as guessed:
        organization.learner(lab.credentials.access_key_id, "guessed").create_bucket(
            "notes-x", REGION
        )
    assert guessed.value.status == "UNAUTHENTICATED"
    clock.now = lab.credentials.expires_at
    with pytest.raises(GcpError) as expired:
        _bucket_as_learner(organization, lab, "notes-late")
    assert expired.value.status == "UNAUTHENTICATED"


async def test_teardown_empties_the_project_and_revokes_the_key_last(
    cloud_lab: SimulatedGcpCloudLab, organization: GcpOrganization
) -> None:
    lab = await cloud_lab.provision("s-1", _template(), REGION)
    _bucket_as_learner(organization, lab, "notes-1")

    await cloud_lab.tear_down("s-1")

    project = organization.project(lab.account_id)
    assert project is not None  # kept: a deleted project's id is held for 30 days
    assert (project.networks, project.instances, project.keys) == ({}, {}, {})
    assert organization.buckets(lab.account_id) == []
    with pytest.raises(GcpError):
        _bucket_as_learner(organization, lab, "notes-2")
    again = await cloud_lab.provision("s-1", _template(), REGION)
    assert again.account_id == lab.account_id
    assert len(await cloud_lab.inventory("s-1")) == 4  # network, bucket, instance, key
