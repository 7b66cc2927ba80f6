"""The embedded moto server: the AWS adapter provisions into it with IAM enforced."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from cmh.labs.adapters.aws.moto_admin import MotoAdmin
from cmh.labs.adapters.local_moto.server import EmbeddedMoto
from cmh.labs.adapters.local_moto.settings import EmbeddedMotoSettings
from cmh.labs.domain.checks import SESSION_TAG, BucketCheck
from cmh.labs.domain.template import BucketSpec, CloudProvider, LabTemplate, Level, TaskSpec

REGION = "eu-west-1"


def _tiny_template() -> LabTemplate:
    return LabTemplate.create(
        "tpl-tiny",
        owner_id="instructor-1",
        title="One bucket",
        provider=CloudProvider.AWS,
        level=Level.BEGINNER,
        allowed_regions=(REGION,),
        allowed_services=("s3",),
        resources=(BucketSpec("tiny-"),),
        tasks=(
            TaskSpec(
                "versioned",
                "Version the bucket",
                "Turn versioning on for the tiny-... bucket",
                1,
                BucketCheck("tiny-", versioning=True),
            ),
        ),
        time_limit=timedelta(minutes=30),
        budget_cap_usd=Decimal("1"),
        now=datetime(2026, 11, 30, tzinfo=UTC),
    )


def _answers(url: str) -> bool:
    try:
        # The cheapest page (data.json serializes every backend: seconds on a busy machine).
        with urllib.request.urlopen(f"{url}/moto-api/config", timeout=10):  # noqa: S310
            return True
    except (urllib.error.URLError, OSError):
        return False


async def test_the_aws_adapter_provisions_and_tears_down_against_it() -> None:
    async with EmbeddedMoto() as moto:
        url = moto.endpoint_url
        assert url.startswith("http://127.0.0.1:")
        cloud_lab = AwsCloudLab(moto.lab_settings(), prepare_member=moto.grant_organization_role)

        lab = await cloud_lab.provision("embedded-1", _tiny_template(), REGION)
        buckets = [r for r in await cloud_lab.inventory("embedded-1") if r.kind == "bucket"]
        assert [bucket.tags[SESSION_TAG] for bucket in buckets] == ["embedded-1"]
        assert buckets[0].name.startswith("tiny-")
        assert lab.endpoint == url

        await cloud_lab.tear_down("embedded-1")
        assert await cloud_lab.inventory("embedded-1") == ()

    assert not _answers(url)


async def test_member_accounts_get_their_role_without_turning_iam_checks_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Over HTTP the grant needs a moment with checks off, which the process's other moto
    # requests could use up (a provisioning then failed with AccessDenied): in process it
    # is written into moto directly, and no such moment is ever opened.
    async with EmbeddedMoto() as moto:

        def no_unchecked_moment(_: MotoAdmin, requests: int) -> None:
            raise AssertionError(f"IAM checks turned off for {requests} request(s)")

        monkeypatch.setattr(MotoAdmin, "_unchecked", no_unchecked_moment)
        cloud_lab = AwsCloudLab(moto.lab_settings(), prepare_member=moto.grant_organization_role)
        await cloud_lab.provision("embedded-2", _tiny_template(), REGION)
        kinds = [resource.kind for resource in await cloud_lab.inventory("embedded-2")]
        assert kinds.count("bucket") == 1
        await cloud_lab.tear_down("embedded-2")


async def test_it_enforces_iam_from_the_first_request() -> None:
    async with EmbeddedMoto() as moto:
        stranger = boto3.client(
            "s3",
            region_name=REGION,
            endpoint_url=moto.endpoint_url,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="guessed",
        )
        with pytest.raises(ClientError) as error:
            stranger.list_buckets()
        assert error.value.response["Error"]["Code"] == "InvalidAccessKeyId"


async def test_it_serves_on_a_configured_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async with EmbeddedMoto(EmbeddedMotoSettings(port=port)) as moto:
        assert moto.endpoint_url == f"http://127.0.0.1:{port}"
        assert _answers(moto.endpoint_url)


async def test_settings_are_refused_before_start_and_after_stop() -> None:
    moto = EmbeddedMoto()
    with pytest.raises(RuntimeError):
        moto.lab_settings()
    async with moto:
        assert moto.lab_settings().access_key_id
    with pytest.raises(RuntimeError):
        _ = moto.endpoint_url


def _operator_s3(moto: EmbeddedMoto) -> Any:
    settings = moto.lab_settings()
    return boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url=moto.endpoint_url,
        aws_access_key_id=settings.access_key_id,
        aws_secret_access_key=settings.secret_access_key,
    )


async def test_each_start_begins_empty() -> None:
    async with EmbeddedMoto() as moto:
        s3 = _operator_s3(moto)
        s3.create_bucket(
            Bucket="left-behind", CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    async with EmbeddedMoto() as moto:
        assert _operator_s3(moto).list_buckets()["Buckets"] == []
