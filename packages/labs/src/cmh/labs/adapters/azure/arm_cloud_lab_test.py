"""``AzureCloudLab`` beyond the shared contract: what the learner's SAS reaches and for how
long, the local account pool, and orphans found by tag. Against a local Resource Manager
(TLS, a CA made here) and infra/local's Azurite."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from azure.storage.blob import BlobServiceClient

from cmh.kernel.errors import DependencyUnavailable
from cmh.labs.adapters.azure.arm_cloud_lab import AzureCloudLab, group_name
from cmh.labs.adapters.azure.credentials import StaticTokenCredential
from cmh.labs.application.ports import CloudLab
from cmh.labs.domain.checks import SESSION_TAG, BucketCheck
from cmh.labs.domain.template import BucketSpec, CloudProvider, LabTemplate, Level, TaskSpec
from cmh_testing.labs.sdk_clouds import azure_sdk_lab

pytestmark = pytest.mark.integration

REGION = "westeurope"
TEMPLATE = LabTemplate.create(
    "tpl-azure-storage",
    owner_id="instructor-1",
    title="A static site's storage",
    provider=CloudProvider.AZURE,
    level=Level.BEGINNER,
    allowed_regions=(REGION,),
    allowed_services=("storage",),
    resources=(BucketSpec("site-"),),
    tasks=(TaskSpec("web", "A web container", "Make a web-... container", 5, BucketCheck("web-")),),
    time_limit=timedelta(hours=1),
    max_extension=timedelta(minutes=30),
    budget_cap_usd=Decimal("1"),
    now=datetime(2026, 11, 30, tzinfo=UTC),
)


@pytest.fixture
def cloud_lab(tmp_path: Path) -> Iterator[AzureCloudLab]:
    with azure_sdk_lab(tmp_path) as lab:
        port: CloudLab = lab  # mypy checks the adapter against the port here
        assert port is lab
        yield lab


def _session() -> str:
    return f"azure-{secrets.token_hex(4)}"


def _at(cloud_lab: AzureCloudLab, now: datetime, **changes: object) -> AzureCloudLab:
    """The same Resource Manager and Blob service, another clock or settings."""
    settings = msgspec.structs.replace(cloud_lab.settings, **changes)
    return AzureCloudLab(settings, clock=lambda: now)


async def test_the_sas_reaches_the_sessions_account_only(cloud_lab: AzureCloudLab) -> None:
    mine, theirs = _session(), _session()
    my_lab = await cloud_lab.provision(mine, TEMPLATE, REGION)
    their_lab = await cloud_lab.provision(theirs, TEMPLATE, REGION)
    assert my_lab.credentials.access_key_id != their_lab.credentials.access_key_id
    assert my_lab.endpoint is not None
    assert their_lab.endpoint is not None

    mine_as_learner = BlobServiceClient(
        my_lab.endpoint, credential=my_lab.credentials.secret_access_key
    )
    mine_as_learner.create_container("web-mine")
    with pytest.raises(HttpResponseError) as refused:
        BlobServiceClient(
            their_lab.endpoint, credential=my_lab.credentials.secret_access_key
        ).create_container("web-theirs")

    assert refused.value.status_code == 403
    assert {c.name for c in mine_as_learner.list_containers()} >= {"web-mine"}
    their_buckets = {r.name for r in (await cloud_lab.observe(theirs)).of_kind("bucket")}
    assert "web-mine" not in their_buckets
    assert "web-theirs" not in their_buckets


async def test_the_sas_expires_with_the_session(cloud_lab: AzureCloudLab) -> None:
    long_ago = datetime(2020, 1, 1, 12, tzinfo=UTC)
    session = _session()

    lab = await _at(cloud_lab, long_ago).provision(session, TEMPLATE, REGION)

    # The expiry is read back from the token: the session's latest end, to the second.
    assert lab.credentials.expires_at == long_ago + timedelta(hours=1, minutes=30)
    assert lab.endpoint is not None
    with pytest.raises(HttpResponseError) as refused:
        BlobServiceClient(
            lab.endpoint, credential=lab.credentials.secret_access_key
        ).create_container("web-late")
    assert refused.value.status_code == 403


async def test_a_full_pool_refuses_until_a_session_is_torn_down(
    cloud_lab: AzureCloudLab,
) -> None:
    two = ",".join(cloud_lab.settings.storage_pool[:2])
    lab = _at(cloud_lab, datetime.now(UTC), storage_accounts=two)
    first, second, third = _session(), _session(), _session()
    first_lab = await lab.provision(first, TEMPLATE, REGION)
    await lab.provision(second, TEMPLATE, REGION)

    with pytest.raises(DependencyUnavailable) as full:
        await lab.provision(third, TEMPLATE, REGION)
    assert full.value.code == "lab_capacity_exhausted"

    await lab.tear_down(first)
    # Azurite cannot rotate an account's keys: the first learner's SAS still writes until
    # it expires. The next session's claim empties the account before handing it out.
    assert first_lab.endpoint is not None
    BlobServiceClient(
        first_lab.endpoint, credential=first_lab.credentials.secret_access_key
    ).create_container("web-stray")
    third_lab = await lab.provision(third, TEMPLATE, REGION)

    assert third_lab.credentials.access_key_id == first_lab.credentials.access_key_id
    buckets = (await lab.observe(third)).of_kind("bucket")
    assert [b.tags[SESSION_TAG] for b in buckets] == [third]


async def test_an_empty_group_is_an_orphan_and_in_the_inventory(
    cloud_lab: AzureCloudLab,
) -> None:
    # Provisioning stopped right after the group was made.
    session = _session()
    cloud_lab.arm.resource_groups.create_or_update(
        group_name(session), {"location": REGION, "tags": {SESSION_TAG: session}}
    )

    assert [r.kind for r in await cloud_lab.inventory(session)] == ["resource_group"]
    assert session in await cloud_lab.orphans(set())

    await cloud_lab.tear_down(session)
    assert await cloud_lab.inventory(session) == ()
    assert session not in await cloud_lab.orphans(set())


async def test_resource_manager_refuses_another_token(cloud_lab: AzureCloudLab) -> None:
    impostor = AzureCloudLab(cloud_lab.settings, credential=StaticTokenCredential("forged"))

    with pytest.raises(ClientAuthenticationError):
        await impostor.orphans(set())
