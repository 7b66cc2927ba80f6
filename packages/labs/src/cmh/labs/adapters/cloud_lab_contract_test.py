"""What every ``CloudLab`` does, whichever cloud it provisions into.

Each implementation runs the same cases: AWS against a moto server of its own (the
embedded profile's, IAM enforcement on), Azure and GCP against their local simulators,
and the SDK adapters: Azure against a local Resource Manager (``cmh_testing.labs.fake_arm``,
over TLS) and Azurite, GCP against fake-gcs-server and a local Resource Manager
(``cmh_testing.labs.fake_resource_manager``). Those need the emulators of infra/local
(``CMH_TEST_AZURITE_URL``, ``CMH_TEST_FAKE_GCS_URL``) and are skipped, saying so, without.
A case acts as the learner through the credentials the lab handed out, as a learner would.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from azure.core.rest import HttpRequest
from azure.storage.blob import BlobServiceClient

from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from cmh.labs.adapters.azure.arm_cloud_lab import COMPUTE_API, VIRTUAL_MACHINES, AzureCloudLab
from cmh.labs.adapters.azure.cloud_lab import SimulatedAzureCloudLab
from cmh.labs.adapters.azure.simulator import AzureSubscription
from cmh.labs.adapters.gcp.cloud_lab import SimulatedGcpCloudLab
from cmh.labs.adapters.gcp.sdk_cloud_lab import GcpCloudLab
from cmh.labs.adapters.gcp.simulator import GcpOrganization
from cmh.labs.adapters.local_moto.server import EmbeddedMoto
from cmh.labs.application.ports import CloudLab, ProvisionedLab
from cmh.labs.domain.checks import SESSION_TAG, BucketCheck, InstanceCheck, passes
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    InstanceSpec,
    LabTemplate,
    Level,
    NetworkSpec,
    TaskSpec,
)
from cmh_testing.labs.sdk_clouds import azure_sdk_lab, gcp_sdk_lab

WEB = (("role", "web"),)
VERSIONED_NOTES = BucketCheck("notes-", versioning=True)
WEB_RUNNING = InstanceCheck(tags=WEB)


def _template(
    provider: CloudProvider, region: str, services: tuple[str, ...], size: str
) -> LabTemplate:
    return LabTemplate.create(
        f"tpl-{provider}",
        owner_id="instructor-1",
        title="Versioned notes and a web server",
        provider=provider,
        level=Level.BEGINNER,
        allowed_regions=(region,),
        allowed_services=services,
        resources=(NetworkSpec(), BucketSpec("data-"), InstanceSpec(size, running=False, tags=WEB)),
        tasks=(
            TaskSpec(
                "notes", "Versioned notes", "A notes-... bucket, versioned", 10, VERSIONED_NOTES
            ),
            TaskSpec(
                "web", "Start the web server", "Start the instance tagged role=web", 5, WEB_RUNNING
            ),
        ),
        time_limit=timedelta(hours=1),
        budget_cap_usd=Decimal("2"),
        now=datetime(2026, 11, 30, tzinfo=UTC),
    )


LearnerAction = Callable[[ProvisionedLab, str], Awaitable[None]]
# Makes a versioned bucket named from the given name, answers the name it got (a cloud
# may ask for more, as GCP's session suffix).
BucketAction = Callable[[ProvisionedLab, str], Awaitable[str]]


@dataclass(frozen=True)
class Implementation:
    cloud_lab: CloudLab
    template: LabTemplate
    region: str
    # As the learner: make a versioned bucket; start the instance tagged role=web (None: a
    # cloud whose labs hold no instances, and a template without them).
    make_versioned_bucket: BucketAction
    start_web_instance: LearnerAction | None


# --- AWS on moto ------------------------------------------------------------------------


def _aws(moto: EmbeddedMoto) -> Implementation:
    region = "eu-west-1"
    cloud_lab = AwsCloudLab(moto.lab_settings(), prepare_member=moto.grant_organization_role)

    def client(lab: ProvisionedLab, service: str) -> Any:
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=lab.endpoint,
            aws_access_key_id=lab.credentials.access_key_id,
            aws_secret_access_key=lab.credentials.secret_access_key,
            aws_session_token=lab.credentials.session_token,
        )

    async def make_versioned_bucket(lab: ProvisionedLab, name: str) -> str:
        s3 = client(lab, "s3")
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        return name

    async def start_web_instance(lab: ProvisionedLab, session_id: str) -> None:
        ec2 = client(lab, "ec2")
        reservations = ec2.describe_instances(Filters=[{"Name": "tag:role", "Values": ["web"]}])[
            "Reservations"
        ]
        ec2.start_instances(
            InstanceIds=[i["InstanceId"] for r in reservations for i in r["Instances"]]
        )

    return Implementation(
        cloud_lab,
        _template(CloudProvider.AWS, region, ("s3", "ec2"), "t3.micro"),
        region,
        make_versioned_bucket,
        start_web_instance,
    )


# --- Azure and GCP simulators -----------------------------------------------------------


def _azure() -> Implementation:
    region = "westeurope"
    subscription = AzureSubscription()

    async def make_versioned_bucket(lab: ProvisionedLab, name: str) -> str:
        learner = subscription.learner(
            lab.credentials.access_key_id, lab.credentials.secret_access_key
        )
        account = next(r.name for r in learner.resources() if r.type.endswith("storageAccounts"))
        learner.create_container(account, name, versioning=True)
        return name

    async def start_web_instance(lab: ProvisionedLab, session_id: str) -> None:
        learner = subscription.learner(
            lab.credentials.access_key_id, lab.credentials.secret_access_key
        )
        for machine in learner.resources():
            if machine.type.endswith("virtualMachines") and machine.tags.get("role") == "web":
                learner.set_power_state(machine.name, running=True)

    return Implementation(
        SimulatedAzureCloudLab(subscription),
        _template(CloudProvider.AZURE, region, ("storage", "compute", "network"), "Standard_B1s"),
        region,
        make_versioned_bucket,
        start_web_instance,
    )


def _gcp() -> Implementation:
    region = "europe-west1"
    organization = GcpOrganization()

    async def make_versioned_bucket(lab: ProvisionedLab, name: str) -> str:
        learner = organization.learner(
            lab.credentials.access_key_id, lab.credentials.secret_access_key
        )
        learner.create_bucket(name, region, versioning=True)
        return name

    async def start_web_instance(lab: ProvisionedLab, session_id: str) -> None:
        learner = organization.learner(
            lab.credentials.access_key_id, lab.credentials.secret_access_key
        )
        project = organization.project(lab.account_id)
        assert project is not None
        for instance in list(project.instances.values()):
            if instance.labels.get("role") == "web":
                learner.set_running(instance.name, running=True)

    return Implementation(
        SimulatedGcpCloudLab(organization),
        _template(CloudProvider.GCP, region, ("storage", "compute"), "e2-micro"),
        region,
        make_versioned_bucket,
        start_web_instance,
    )


# --- Azure through its SDKs: a local Resource Manager and Azurite -------------------------


def _azure_sdk(cloud_lab: AzureCloudLab) -> Implementation:
    region = "westeurope"
    arm = cloud_lab.arm

    async def make_versioned_bucket(lab: ProvisionedLab, name: str) -> str:
        # Versioning is the account's blob service setting, changed through ARM; the
        # learner's SAS reaches the Blob service only (see packages/labs/README.md).
        account_id = (
            f"{lab.account_id}/providers/Microsoft.Storage/storageAccounts/"
            f"{lab.credentials.access_key_id}"
        )
        arm.resources.begin_create_or_update_by_id(
            f"{account_id}/blobServices/default",
            api_version="2023-05-01",
            parameters={"properties": {"isVersioningEnabled": True}},
        ).result()
        assert lab.endpoint is not None
        learner = BlobServiceClient(lab.endpoint, credential=lab.credentials.secret_access_key)
        learner.create_container(name)
        return name

    async def start_web_instance(lab: ProvisionedLab, session_id: str) -> None:
        group = lab.account_id.rsplit("/", 1)[-1]
        for machine in arm.resources.list_by_resource_group(group):
            if machine.type == VIRTUAL_MACHINES and (machine.tags or {}).get("role") == "web":
                arm.send_request(
                    HttpRequest("POST", f"{machine.id}/start", params={"api-version": COMPUTE_API})
                ).raise_for_status()

    return Implementation(
        cloud_lab,
        _template(CloudProvider.AZURE, region, ("storage", "compute", "network"), "Standard_B1s"),
        region,
        make_versioned_bucket,
        start_web_instance,
    )


# --- GCP through its SDKs: fake-gcs-server and a local Resource Manager -------------------


def _gcp_sdk(cloud_lab: GcpCloudLab) -> Implementation:
    region = "europe-west1"
    projects = cloud_lab.projects
    storage = cloud_lab.storage

    async def make_versioned_bucket(lab: ProvisionedLab, name: str) -> str:
        # GCS refuses a bucket in a project pending deletion; fake-gcs-server keeps no
        # projects, so the learner's step reads the project's state first, as GCS would.
        project = projects.get_project(name=f"projects/{lab.account_id}")
        if project.state != project.State.ACTIVE:
            raise PermissionError(f"project {lab.account_id} is {project.state.name}")
        bucket = storage.bucket(f"{name}{lab.account_id.removeprefix('cmh-lab')}")
        bucket.versioning_enabled = True
        storage.create_bucket(bucket, project=lab.account_id, location=region)
        return str(bucket.name)

    return Implementation(
        cloud_lab,
        LabTemplate.create(
            "tpl-gcp-storage",
            owner_id="instructor-1",
            title="Versioned notes",
            provider=CloudProvider.GCP,
            level=Level.BEGINNER,
            allowed_regions=(region,),
            allowed_services=("storage",),
            resources=(BucketSpec("data-"),),
            tasks=(
                TaskSpec(
                    "notes", "Versioned notes", "A notes-... bucket, versioned", 10, VERSIONED_NOTES
                ),
            ),
            time_limit=timedelta(hours=1),
            budget_cap_usd=Decimal("2"),
            now=datetime(2026, 11, 30, tzinfo=UTC),
        ),
        region,
        make_versioned_bucket,
        None,
    )


@pytest.fixture(
    params=[
        "aws",
        "azure",
        "gcp",
        pytest.param("azure-sdk", marks=pytest.mark.integration),
        pytest.param("gcp-sdk", marks=pytest.mark.integration),
    ]
)
async def implementation(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Implementation]:
    if request.param == "aws":
        async with EmbeddedMoto() as moto:
            yield _aws(moto)
    elif request.param == "azure":
        yield _azure()
    elif request.param == "azure-sdk":
        with azure_sdk_lab(tmp_path) as cloud_lab:
            yield _azure_sdk(cloud_lab)
    elif request.param == "gcp-sdk":
        with gcp_sdk_lab() as cloud_lab:
            yield _gcp_sdk(cloud_lab)
    else:
        yield _gcp()


def _session() -> str:
    return f"contract-{secrets.token_hex(4)}"


def _kinds(resources: Any) -> Counter[str]:
    return Counter(r.kind for r in resources if r.kind in ("network", "bucket", "instance"))


def _template_kinds(template: LabTemplate) -> Counter[str]:
    kinds = {NetworkSpec: "network", BucketSpec: "bucket", InstanceSpec: "instance"}
    return Counter(kinds[type(spec)] for spec in template.resources)


async def test_provisioning_twice_makes_one_of_each(implementation: Implementation) -> None:
    lab = implementation.cloud_lab
    session = _session()

    first = await lab.provision(session, implementation.template, implementation.region)
    second = await lab.provision(session, implementation.template, implementation.region)

    assert second.account_id == first.account_id
    assert second.region == implementation.region
    assert second.credentials.expires_at > datetime.now(UTC) + timedelta(minutes=50)
    resources = await lab.inventory(session)
    assert _kinds(resources) == _template_kinds(implementation.template)
    platform_made = [r for r in resources if r.kind in ("network", "bucket", "instance")]
    assert all(r.tags[SESSION_TAG] == session for r in platform_made)
    bucket = next(r for r in platform_made if r.kind == "bucket")
    assert bucket.name.startswith("data-")
    if implementation.start_web_instance is not None:
        instance = next(r for r in platform_made if r.kind == "instance")
        assert instance.attributes["state"] == "stopped"
        assert instance.tags["role"] == "web"


async def test_observe_sees_what_the_learner_made(implementation: Implementation) -> None:
    lab = implementation.cloud_lab
    session = _session()
    provisioned = await lab.provision(session, implementation.template, implementation.region)

    with_instances = implementation.start_web_instance is not None
    before = await lab.observe(session)
    assert (before.session_network_id is not None) is with_instances
    assert not passes(VERSIONED_NOTES, before)
    assert not passes(WEB_RUNNING, before)

    await implementation.make_versioned_bucket(provisioned, f"notes-{secrets.token_hex(4)}")
    if implementation.start_web_instance is not None:
        await implementation.start_web_instance(provisioned, session)

    after = await lab.observe(session)
    assert passes(VERSIONED_NOTES, after)
    assert passes(WEB_RUNNING, after) is with_instances
    assert after.session_network_id == before.session_network_id


async def test_sessions_do_not_see_each_other(implementation: Implementation) -> None:
    lab = implementation.cloud_lab
    mine, theirs = _session(), _session()
    await lab.provision(mine, implementation.template, implementation.region)
    provisioned = await lab.provision(theirs, implementation.template, implementation.region)
    notes = await implementation.make_versioned_bucket(provisioned, f"notes-{secrets.token_hex(4)}")

    assert passes(VERSIONED_NOTES, await lab.observe(theirs))
    assert not passes(VERSIONED_NOTES, await lab.observe(mine))
    my_buckets = {r.name for r in await lab.inventory(mine) if r.kind == "bucket"}
    their_buckets = {r.name for r in await lab.inventory(theirs) if r.kind == "bucket"}
    assert notes in their_buckets
    assert len(my_buckets) == 1
    assert not my_buckets & their_buckets  # bucket names are global: one per session


async def test_teardown_leaves_an_empty_inventory_and_can_be_repeated(
    implementation: Implementation,
) -> None:
    lab = implementation.cloud_lab
    session = _session()
    provisioned = await lab.provision(session, implementation.template, implementation.region)
    await implementation.make_versioned_bucket(provisioned, f"notes-{secrets.token_hex(4)}")

    await lab.tear_down(session)
    await lab.tear_down(session)

    assert await lab.inventory(session) == ()
    assert (await lab.observe(session)).resources == ()
    with pytest.raises(Exception):  # noqa: B017, PT011 (each provider raises its own)
        await implementation.make_versioned_bucket(provisioned, f"notes-{secrets.token_hex(4)}")


async def test_nothing_of_an_unknown_session(implementation: Implementation) -> None:
    lab = implementation.cloud_lab
    session = _session()

    assert await lab.inventory(session) == ()
    assert (await lab.observe(session)).resources == ()
    await lab.tear_down(session)


async def test_orphans_are_the_inactive_sessions_with_resources(
    implementation: Implementation,
) -> None:
    lab = implementation.cloud_lab
    alive, orphan, ended = _session(), _session(), _session()
    for session in (alive, orphan, ended):
        await lab.provision(session, implementation.template, implementation.region)
    await lab.tear_down(ended)

    found = await lab.orphans({alive})

    assert orphan in found
    assert alive not in found
    assert ended not in found
    await lab.tear_down(orphan)
    assert orphan not in await lab.orphans({alive})
