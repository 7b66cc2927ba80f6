"""The SDK cloud adapters wired to the local emulators and fakes, for tests.

Azure: a local Resource Manager (``FakeArm``, TLS with a CA made for the test) over the
Azurite of infra/local (``CMH_TEST_AZURITE_URL``, its accounts ``CMH_TEST_AZURITE_ACCOUNTS``).
GCP: the fake-gcs-server of infra/local (``CMH_TEST_FAKE_GCS_URL``) and a local Resource
Manager (``FakeResourceManager``). Without the variables the test is skipped (failed under
CI, as every server test: ``cmh_testing.kernel.servers``); with them, a server that does not
answer fails the test.
"""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cmh.labs.adapters.azure.arm_cloud_lab import AzureCloudLab
from cmh.labs.adapters.azure.settings import AzureLabSettings
from cmh.labs.adapters.gcp.sdk_cloud_lab import GcpCloudLab
from cmh.labs.adapters.gcp.settings import GcpLabSettings
from cmh_testing.kernel.servers import server_url
from cmh_testing.labs.fake_arm import FakeArm, parse_azurite_accounts
from cmh_testing.labs.fake_resource_manager import FakeResourceManager
from cmh_testing.labs.local_tls import make_local_tls


def _answers(url: str) -> None:
    try:
        with urllib.request.urlopen(url, timeout=3):  # noqa: S310 (a test server's URL)
            return
    except urllib.error.HTTPError:
        return  # any HTTP answer: the server is up
    except (urllib.error.URLError, OSError) as error:
        pytest.fail(
            f"no server answers at {url} ({error}): run `bash infra/local/up.sh`",
            pytrace=False,
        )


@contextmanager
def azure_sdk_lab(directory: Path, poll_seconds: float = 0.01) -> Iterator[AzureCloudLab]:
    url = server_url("CMH_TEST_AZURITE_URL")
    accounts = server_url("CMH_TEST_AZURITE_ACCOUNTS")
    _answers(url)
    keys = parse_azurite_accounts(accounts)
    blob_endpoint = url.rstrip("/") + "/{account}"
    token = secrets.token_urlsafe(24)
    tls = make_local_tls(directory / "arm-tls")
    with FakeArm(tls, token, storage_keys=keys, blob_endpoint=blob_endpoint) as arm:
        yield AzureCloudLab(
            AzureLabSettings(
                subscription_id=arm.subscription_id,
                arm_endpoint=arm.endpoint,
                arm_token=token,
                ca_bundle=str(tls.ca_file),
                blob_endpoint=blob_endpoint,
                storage_accounts=",".join(keys),
                poll_seconds=poll_seconds,
            )
        )


@contextmanager
def gcp_sdk_lab() -> Iterator[GcpCloudLab]:
    url = server_url("CMH_TEST_FAKE_GCS_URL")
    _answers(f"{url.rstrip('/')}/storage/v1/b")
    with FakeResourceManager() as resource_manager:
        yield GcpCloudLab(
            GcpLabSettings(
                parent="folders/1000",
                storage_endpoint=url.rstrip("/"),
                resource_manager_endpoint=resource_manager.endpoint,
                anonymous=True,
            )
        )
