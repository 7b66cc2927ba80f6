"""What the Azure lab does beyond the CloudLab contract: ARM's shapes and the learner's
service principal, fenced to its resource group, its locations and its lifetime."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from cmh.labs.adapters.azure.cloud_lab import SimulatedAzureCloudLab, storage_account_name
from cmh.labs.adapters.azure.simulator import (
    STORAGE_ACCOUNT,
    VIRTUAL_MACHINE,
    AzureError,
    AzureLearner,
    AzureSubscription,
)
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

REGION = "westeurope"
START = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _template() -> LabTemplate:
    return LabTemplate.create(
        "tpl-azure",
        owner_id="instructor-1",
        title="Blob storage",
        provider=CloudProvider.AZURE,
        level=Level.BEGINNER,
        allowed_regions=(REGION,),
        allowed_services=("storage", "compute", "network"),
        resources=(NetworkSpec(), BucketSpec("data-"), InstanceSpec("Standard_B1s")),
        tasks=(TaskSpec("notes", "Notes", "A notes-... container", 1, BucketCheck("notes-")),),
        time_limit=timedelta(hours=1),
        max_extension=timedelta(minutes=30),
        budget_cap_usd=Decimal("2"),
        now=START,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def subscription(clock: Clock) -> AzureSubscription:
    return AzureSubscription(clock=clock)


@pytest.fixture
def cloud_lab(subscription: AzureSubscription) -> SimulatedAzureCloudLab:
    lab: CloudLab = SimulatedAzureCloudLab(subscription)  # mypy checks the port here
    assert isinstance(lab, SimulatedAzureCloudLab)
    return lab


def _learner(subscription: AzureSubscription, lab: ProvisionedLab) -> AzureLearner:
    return subscription.learner(lab.credentials.access_key_id, lab.credentials.secret_access_key)


async def test_a_session_is_a_tagged_resource_group_with_arm_ids(
    cloud_lab: SimulatedAzureCloudLab, subscription: AzureSubscription
) -> None:
    lab = await cloud_lab.provision("s-1", _template(), REGION)

    assert (
        lab.account_id
        == f"/subscriptions/{subscription.subscription_id}/resourceGroups/cmh-lab-s-1"
    )
    assert lab.credentials.expires_at == START + timedelta(hours=1, minutes=30)
    group = subscription.group("cmh-lab-s-1")
    assert group is not None
    assert group.tags == {SESSION_TAG: "s-1"}
    network = (await cloud_lab.observe("s-1")).session_network_id
    assert (
        network == f"{lab.account_id}/providers/Microsoft.Network/virtualNetworks/cmh-lab-network"
    )
    assert re.fullmatch(r"[a-z0-9]{3,24}", storage_account_name("s-1"))


async def test_the_learner_is_fenced_to_the_template_s_locations(
    cloud_lab: SimulatedAzureCloudLab, subscription: AzureSubscription
) -> None:
    lab = await cloud_lab.provision("s-1", _template(), REGION)
    learner = _learner(subscription, lab)
    network = (await cloud_lab.observe("s-1")).session_network_id or ""

    with pytest.raises(AzureError) as refused:
        learner.create_virtual_machine("far", "eastus", "Standard_B1s", network)
    assert refused.value.code == "RequestDisallowedByPolicy"
    learner.create_virtual_machine("near", REGION, "Standard_B1s", network)
    assert subscription.get("cmh-lab-s-1", VIRTUAL_MACHINE, "near") is not None


async def test_the_learner_s_secret_expires_and_a_wrong_one_is_refused(
    cloud_lab: SimulatedAzureCloudLab, subscription: AzureSubscription, clock: Clock
) -> None:
    lab = await cloud_lab.provision("s-1", _template(), REGION)

    with pytest.raises(AzureError) as wrong:
        subscription.learner(lab.credentials.access_key_id, "guessed").resources()
    assert wrong.value.code == "InvalidAuthenticationToken"
    clock.now = lab.credentials.expires_at
    with pytest.raises(AzureError) as expired:
        _learner(subscription, lab).resources()
    assert expired.value.code == "ExpiredAuthenticationToken"


async def test_provisioning_again_replaces_the_learner_s_secret(
    cloud_lab: SimulatedAzureCloudLab, subscription: AzureSubscription
) -> None:
    first = await cloud_lab.provision("s-1", _template(), REGION)
    second = await cloud_lab.provision("s-1", _template(), REGION)

    assert _learner(subscription, second).resources()
    with pytest.raises(AzureError):
        _learner(subscription, first).resources()
    assert [r.kind for r in await cloud_lab.inventory("s-1")].count("service_principal") == 1


async def test_teardown_revokes_the_learner_and_deletes_the_group(
    cloud_lab: SimulatedAzureCloudLab, subscription: AzureSubscription
) -> None:
    lab = await cloud_lab.provision("s-1", _template(), REGION)

    await cloud_lab.tear_down("s-1")

    assert subscription.group("cmh-lab-s-1") is None
    with pytest.raises(AzureError) as revoked:
        _learner(subscription, lab).resources()
    assert revoked.value.code == "InvalidAuthenticationToken"


async def test_a_principal_left_behind_still_makes_an_orphan(
    cloud_lab: SimulatedAzureCloudLab, subscription: AzureSubscription
) -> None:
    await cloud_lab.provision("s-1", _template(), REGION)
    group = subscription.group("cmh-lab-s-1")
    assert group is not None
    for type_, name in list(group.resources):
        subscription.delete("cmh-lab-s-1", type_, name)  # a teardown cut short here

    assert [r.kind for r in await cloud_lab.inventory("s-1")] == ["service_principal"]
    assert await cloud_lab.orphans(set()) == ["s-1"]
    assert subscription.get("cmh-lab-s-1", STORAGE_ACCOUNT, storage_account_name("s-1")) is None
