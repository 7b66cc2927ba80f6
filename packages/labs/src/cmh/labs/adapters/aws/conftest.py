"""The AWS adapter against the moto server of infra/local (IAM enforcement on)."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from cmh.labs.adapters.aws.moto_admin import MotoAdmin
from cmh.labs.adapters.aws.settings import AwsLabSettings
from cmh.labs.application.ports import CloudLab


@pytest.fixture(scope="module")
def moto_url() -> str:
    url = os.environ.get("CMH_TEST_MOTO_URL", "http://127.0.0.1:5055")
    try:
        with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=3):  # noqa: S310
            pass
    except (urllib.error.URLError, OSError) as error:
        pytest.fail(
            f"no moto server answers at {url} ({error}): run `bash infra/local/moto.sh`",
            pytrace=False,
        )
    return url


@pytest.fixture(scope="module")
def moto(moto_url: str) -> Iterator[MotoAdmin]:
    """A server emptied for this module, whoever used it before."""
    admin = MotoAdmin(moto_url)
    admin.reset()
    yield admin
    admin.reset()


@pytest.fixture(scope="module")
def cloud_lab(moto: MotoAdmin, moto_url: str) -> AwsCloudLab:
    operator = moto.create_operator()
    settings = AwsLabSettings(
        endpoint_url=moto_url,
        access_key_id=operator.access_key_id,
        secret_access_key=operator.secret_access_key,
    )
    cloud_lab = AwsCloudLab(settings, prepare_member=moto.grant_organization_role)
    port: CloudLab = cloud_lab  # mypy checks the adapter against the port here
    assert port is cloud_lab
    return cloud_lab
