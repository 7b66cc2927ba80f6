"""One contract for every ``SecretStore``: the environment adapter and the Vault adapter
(against the local fake of Vault's API; against a real Vault or OpenBao too when
``CMH_TEST_VAULT_URL`` and ``CMH_TEST_VAULT_TOKEN`` name one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hvac
import pytest

from cmh.kernel.secrets.environment import EnvironmentSecrets
from cmh.kernel.secrets.ports import SecretAccessDenied, SecretNotFound, SecretStore
from cmh.kernel.secrets.vault import VaultSecrets
from cmh_testing.kernel.fake_vault import FakeVault

# Writes the secrets ``{group/key: value}`` where the store reads them; returns the store.
Arrange = Callable[[dict[str, str]], SecretStore]


def _environment(tmp_path: Path) -> Iterator[Arrange]:
    def arrange(values: dict[str, str]) -> SecretStore:
        environ = {}
        for index, (name, value) in enumerate(values.items()):
            variable = "CMH_" + name.replace("/", "__").upper()
            if index % 2:  # every other one from a file, as a mounted secret
                path = tmp_path / f"secret-{index}"
                path.write_text(value + "\n")
                environ[variable + "_FILE"] = str(path)
            else:
                environ[variable] = value
        return EnvironmentSecrets(environ)

    yield arrange


def _vault(url: str, token: str) -> Iterator[Arrange]:
    client = hvac.Client(url=url, token=token)
    prefix = f"cmh-test-{uuid.uuid4().hex[:8]}"

    def arrange(values: dict[str, str]) -> SecretStore:
        groups: dict[str, dict[str, Any]] = {}
        for name, value in values.items():
            group, _, key = name.rpartition("/")
            groups.setdefault(group, {})[key] = value
        for group, fields in groups.items():
            client.secrets.kv.v2.create_or_update_secret(
                path=f"{prefix}/{group}", secret=fields, mount_point="secret"
            )
        return VaultSecrets(client, mount="secret", prefix=prefix)

    yield arrange


@pytest.fixture(params=["environment", "fake-vault", "real-vault"])
def arrange(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Arrange]:
    if request.param == "environment":
        yield from _environment(tmp_path)
    elif request.param == "fake-vault":
        fake = FakeVault().start()
        yield from _vault(fake.url, "root-token")
        fake.stop()
    else:
        url, token = os.environ.get("CMH_TEST_VAULT_URL"), os.environ.get("CMH_TEST_VAULT_TOKEN")
        if not (url and token):
            pytest.skip("no Vault or OpenBao server: set CMH_TEST_VAULT_URL and _TOKEN")
        yield from _vault(url, token)


async def test_reads_each_secret_by_group_and_key(arrange: Arrange) -> None:
    store = arrange(
        {
            "tokens/private_key": "-----BEGIN PRIVATE KEY-----\nabc",
            "payments/webhook_secret": "whsec_123",
            "payments/api_key": "sk_test_456",
        }
    )

    assert await store.read("tokens/private_key") == "-----BEGIN PRIVATE KEY-----\nabc"
    assert await store.read("payments/webhook_secret") == "whsec_123"
    assert await store.read("payments/api_key") == "sk_test_456"


async def test_a_missing_secret_is_not_found(arrange: Arrange) -> None:
    store = arrange({"payments/api_key": "sk_test_456"})

    with pytest.raises(SecretNotFound):
        await store.read("payments/webhook_secret")
    with pytest.raises(SecretNotFound):
        await store.read("forum/algolia_key")


async def test_vault_refuses_a_bad_token(fake_vault: FakeVault) -> None:
    fake_vault.put_secret("cmh/payments", {"api_key": "sk_test_456"})
    store = VaultSecrets(hvac.Client(url=fake_vault.url, token="not-a-token"))

    with pytest.raises(SecretAccessDenied):
        await store.read("payments/api_key")


async def test_the_environment_names_a_missing_secret_file(tmp_path: Path) -> None:
    store = EnvironmentSecrets({"CMH_TOKENS__PRIVATE_KEY_FILE": str(tmp_path / "absent.pem")})

    with pytest.raises(SecretNotFound, match=r"absent\.pem"):
        await store.read("tokens/private_key")
