"""The AWS adapter against a real moto server with IAM enforcement on."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from cmh.labs.adapters.aws.cost_explorer import CostExplorerCostSource
from cmh.labs.adapters.aws.moto_admin import MotoAdmin
from cmh.labs.application.ports import ProvisionedLab
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

pytestmark = pytest.mark.integration

REGION = "eu-west-1"


def _template() -> LabTemplate:
    return LabTemplate.create(
        "tpl-storage",
        owner_id="instructor-1",
        title="Versioned logs",
        provider=CloudProvider.AWS,
        level=Level.BEGINNER,
        allowed_regions=(REGION,),
        allowed_services=("s3", "ec2"),
        resources=(
            NetworkSpec(),
            BucketSpec("data-"),
            InstanceSpec(running=False, tags=(("role", "web"),)),
        ),
        tasks=(
            TaskSpec(
                "versioned-notes",
                "A versioned notes bucket",
                "Create a bucket named notes-... and turn versioning on",
                10,
                BucketCheck("notes-", versioning=True),
            ),
            TaskSpec(
                "web-running",
                "Start the web server",
                "Start the instance tagged role=web",
                5,
                InstanceCheck(tags=(("role", "web"),)),
            ),
        ),
        time_limit=timedelta(hours=1),
        budget_cap_usd=Decimal("2"),
        now=datetime(2026, 11, 30, tzinfo=UTC),
    )


def _as_learner(lab: ProvisionedLab, service: str, region: str = REGION) -> Any:
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=lab.endpoint,
        aws_access_key_id=lab.credentials.access_key_id,
        aws_secret_access_key=lab.credentials.secret_access_key,
        aws_session_token=lab.credentials.session_token,
    )


def _send(request: urllib.request.Request) -> None:
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310 (the local moto URL)
        pass


def _error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


async def test_provisioning_twice_makes_each_resource_once(cloud_lab: AwsCloudLab) -> None:
    first = await cloud_lab.provision("twice", _template(), REGION)
    second = await cloud_lab.provision("twice", _template(), REGION)

    assert second.account_id == first.account_id
    assert second.credentials.expires_at > datetime.now(UTC) + timedelta(minutes=50)
    resources = await cloud_lab.inventory("twice")
    kinds = Counter(resource.kind for resource in resources)
    assert kinds == {
        "network": 1,
        "subnet": 1,
        "bucket": 1,
        "instance": 1,
        "role": 1,  # the learner's
        "policy": 1,  # its permissions boundary
    }
    tagged = [r for r in resources if r.kind in ("network", "subnet", "bucket", "instance")]
    assert all(resource.tags[SESSION_TAG] == "twice" for resource in tagged)
    instance = next(r for r in resources if r.kind == "instance")
    network = next(r for r in resources if r.kind == "network")
    assert instance.attributes["state"] == "stopped"
    assert instance.attributes["network_id"] == network.name
    assert instance.tags["role"] == "web"


async def test_a_provisioning_cut_short_is_finished_without_duplicates(
    cloud_lab: AwsCloudLab,
) -> None:
    class WorkerDied(Exception):
        pass

    def die_once_the_account_exists(member: AwsClients, account_id: str) -> None:
        raise WorkerDied

    died = AwsCloudLab(cloud_lab.settings, prepare_member=die_once_the_account_exists)
    with pytest.raises(WorkerDied):
        await died.provision("resumed", _template(), REGION)
    assert await cloud_lab.inventory("resumed") == ()  # an account, nothing in it yet

    lab = await cloud_lab.provision("resumed", _template(), REGION)

    accounts = cloud_lab.operator.client("organizations").list_accounts()["Accounts"]
    assert [a["Id"] for a in accounts if a["Name"] == "cmh-lab-resumed"] == [lab.account_id]
    kinds = Counter(resource.kind for resource in await cloud_lab.inventory("resumed"))
    assert kinds["bucket"] == kinds["instance"] == kinds["network"] == kinds["role"] == 1


async def test_the_learner_works_with_the_templates_services_only(
    cloud_lab: AwsCloudLab,
) -> None:
    lab = await cloud_lab.provision("learner", _template(), REGION)
    s3 = _as_learner(lab, "s3")

    s3.create_bucket(
        Bucket="notes-learner", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    s3.put_bucket_versioning(Bucket="notes-learner", VersioningConfiguration={"Status": "Enabled"})
    assert "notes-learner" in {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}

    with pytest.raises(ClientError) as outside:
        _as_learner(lab, "sns").list_topics()
    assert _error_code(outside) == "AccessDenied"
    assert "sns:ListTopics" in str(outside.value)
    with pytest.raises(ClientError) as own_role:
        _as_learner(lab, "iam").put_role_policy(
            RoleName="cmh-learner", PolicyName="more", PolicyDocument="{}"
        )
    assert _error_code(own_role) == "AccessDenied"

    inventory = await cloud_lab.observe("learner")
    assert passes(BucketCheck("notes-", versioning=True), inventory)
    assert not passes(InstanceCheck(tags=(("role", "web"),)), inventory)
    assert inventory.session_network_id is not None

    _as_learner(lab, "ec2").start_instances(
        InstanceIds=[r.name for r in inventory.of_kind("instance")]
    )
    assert passes(InstanceCheck(tags=(("role", "web"),)), await cloud_lab.observe("learner"))


async def test_another_sessions_account_is_out_of_reach(cloud_lab: AwsCloudLab) -> None:
    mine = await cloud_lab.provision("mine", _template(), REGION)
    theirs = await cloud_lab.provision("theirs", _template(), REGION)
    assert mine.account_id != theirs.account_id

    sts = _as_learner(mine, "sts")
    for role in ("cmh-learner", "OrganizationAccountAccessRole"):
        with pytest.raises(ClientError) as denied:
            sts.assume_role(
                RoleArn=f"arn:aws:iam::{theirs.account_id}:role/{role}", RoleSessionName="reach"
            )
        assert _error_code(denied) == "AccessDenied"

    # Their bucket and instance are not in my account's listings.
    their_names = {r.name for r in await cloud_lab.inventory("theirs")}
    my_buckets = {b["Name"] for b in _as_learner(mine, "s3").list_buckets()["Buckets"]}
    my_instances = {
        instance["InstanceId"]
        for reservation in _as_learner(mine, "ec2").describe_instances()["Reservations"]
        for instance in reservation["Instances"]
    }
    assert my_buckets
    assert not my_buckets & their_names
    assert my_instances
    assert not my_instances & their_names

    # Naming their account in the request does not help: my keys are unknown there.
    ec2 = _as_learner(mine, "ec2")
    ec2.meta.events.register(
        "before-sign.ec2.*",
        lambda request, **_: request.headers.__setitem__("x-moto-account-id", theirs.account_id),
    )
    with pytest.raises(ClientError) as unknown:
        ec2.describe_instances()
    assert _error_code(unknown) in ("AuthFailure", "InvalidClientTokenId")


async def test_teardown_leaves_nothing_and_can_be_repeated(cloud_lab: AwsCloudLab) -> None:
    lab = await cloud_lab.provision("ending", _template(), REGION)
    s3 = _as_learner(lab, "s3")
    s3.create_bucket(
        Bucket="notes-ending", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    s3.put_bucket_versioning(Bucket="notes-ending", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="notes-ending", Key="a.txt", Body=b"one")
    s3.put_object(Bucket="notes-ending", Key="a.txt", Body=b"two")
    ec2 = _as_learner(lab, "ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc_id)
    assert len(await cloud_lab.inventory("ending")) > 6

    await cloud_lab.tear_down("ending")
    assert await cloud_lab.inventory("ending") == ()
    await cloud_lab.tear_down("ending")
    assert await cloud_lab.inventory("ending") == ()

    with pytest.raises(ClientError):
        s3.list_buckets()


async def test_the_reconciler_finds_a_planted_orphan(cloud_lab: AwsCloudLab) -> None:
    await cloud_lab.provision("orphan", _template(), REGION)
    await cloud_lab.provision("alive", _template(), REGION)

    orphans = await cloud_lab.orphans({"alive", "twice", "learner", "mine", "theirs"})
    assert "orphan" in orphans
    assert "alive" not in orphans

    await cloud_lab.tear_down("orphan")
    assert "orphan" not in await cloud_lab.orphans({"alive"})


async def test_cost_explorer_answers_are_read_from_the_management_account(
    moto_url: str, cloud_lab: AwsCloudLab
) -> None:
    # moto tracks no cost: it answers what is queued here, in the order asked.
    canned = {
        "results": [
            {
                "ResultsByTime": [
                    {
                        "TimePeriod": {"Start": "2026-11-30", "End": "2026-12-01"},
                        "Total": {"UnblendedCost": {"Amount": "0.0116", "Unit": "USD"}},
                        "Groups": [],
                        "Estimated": True,
                    }
                ]
            }
        ]
    }
    request = urllib.request.Request(  # noqa: S310 (the local moto URL)
        f"{moto_url}/moto-api/static/ce/cost-and-usage-results",
        data=json.dumps(canned).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    await asyncio.to_thread(_send, request)
    source = CostExplorerCostSource(cloud_lab.operator)
    start = datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert await source.cost_between("twice", start, start + timedelta(hours=2)) == Decimal(
        "0.0116"
    )


async def test_a_member_role_is_granted_while_other_callers_take_the_unchecked_window(
    cloud_lab: AwsCloudLab, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a shared moto server the one-request window with checks off is server-wide:
    another process's request in that instant uses it up (two labs APIs and a worker on one
    server did, several times in a row). The grant tries again until it gets a window."""
    stolen = 0
    unchecked = MotoAdmin._unchecked
    somebody_else = boto3.client(
        "sts",
        endpoint_url=moto_url,
        region_name=REGION,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="somebody else",
    )

    def window_taken_first(admin: MotoAdmin, requests: int) -> None:
        nonlocal stolen
        unchecked(admin, requests)
        if stolen < 5:
            stolen += 1
            somebody_else.get_caller_identity()  # passes unchecked: the window is gone

    monkeypatch.setattr(MotoAdmin, "_unchecked", window_taken_first)

    lab = await cloud_lab.provision("crowded", _template(), REGION)

    assert stolen == 5
    assert lab.account_id
