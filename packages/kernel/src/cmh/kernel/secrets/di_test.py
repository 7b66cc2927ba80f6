"""``SecretsSettings`` in a composition's context picks the secrets providers: the
environment by default (the URL's own database credentials), Vault's KV v2 and its
dynamic database credentials when configured."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from dishka import AsyncContainer, Provider
from dishka.exceptions import NoFactoryError
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.di import ClockProvider
from cmh.kernel.module import ContextModule, Profile, compose, sql_outbox_and_bus
from cmh.kernel.secrets.environment import EnvironmentSecrets
from cmh.kernel.secrets.ports import DatabaseCredentialSource, SecretStore
from cmh.kernel.secrets.settings import SecretsSettings, VaultSettings
from cmh.kernel.secrets.vault import VaultSecrets
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh_testing.kernel.fake_vault import DatabaseRole, FakeVault

URL = "postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_test"


class WithDatabase(ContextModule):
    name = "with_database"

    def providers(self, profile: Profile) -> Sequence[Provider]:
        return [ClockProvider(), *sql_outbox_and_bus(profile)]


def _compose(secrets: SecretsSettings) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [WithDatabase()],
        context={
            DatabaseSettings: DatabaseSettings(url=URL),
            KafkaSettings: KafkaSettings(),
            SecretsSettings: secrets,
        },
    )


async def test_the_environment_by_default_with_the_urls_credentials() -> None:
    container = _compose(SecretsSettings())
    try:
        assert isinstance(await container.get(SecretStore), EnvironmentSecrets)
        with pytest.raises(NoFactoryError):
            await container.get(DatabaseCredentialSource)
    finally:
        await container.close()


async def test_vault_reads_secrets_and_the_engine_logs_in_with_its_credentials(
    fake_vault: FakeVault,
) -> None:
    fake_vault.put_secret("cmh/payments", {"webhook_secret": "whsec_1"})
    fake_vault.roles["payments"] = DatabaseRole(ttl=600, max_ttl=3600)
    vault = VaultSettings(url=fake_vault.url, token="root-token", database_role="payments")
    container = _compose(SecretsSettings(backend="vault", vault=vault))
    try:
        store = await container.get(SecretStore)
        assert isinstance(store, VaultSecrets)
        assert await store.read("payments/webhook_secret") == "whsec_1"
        await container.get(AsyncEngine)
        credentials = (await container.get(DatabaseCredentialSource)).current()
        assert credentials.username.startswith("v-token-payments-")
        assert credentials.lease_id in fake_vault.leases
    finally:
        await container.close()


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="CMH_SECRETS__BACKEND"):
        SecretsSettings(backend="keyring")
