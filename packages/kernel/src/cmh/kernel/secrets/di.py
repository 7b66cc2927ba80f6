"""dishka providers of the secrets port; ``secrets_providers`` picks them from settings.

``EnvironmentSecretsProvider``: ``SecretStore`` over the environment; the database engine
keeps the URL's credentials (the kernel's ``SqlProvider``). ``VaultSecretsProvider``:
``SecretStore`` over Vault's KV v2. ``VaultDatabaseProvider`` (with a database role): the
engine logs in with the role's dynamic credentials, kept fresh in the background.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import hvac
from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.secrets.environment import EnvironmentSecrets
from cmh.kernel.secrets.ports import DatabaseCredentialSource, SecretStore
from cmh.kernel.secrets.settings import SecretsSettings, VaultSettings
from cmh.kernel.secrets.vault import VaultDatabaseCredentials, VaultSecrets
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine


class EnvironmentSecretsProvider(Provider):
    scope = Scope.APP

    @provide
    def store(self) -> SecretStore:
        return EnvironmentSecrets()


class VaultSecretsProvider(Provider):
    scope = Scope.APP

    def __init__(self, settings: VaultSettings) -> None:
        super().__init__()
        self._settings = settings

    @provide
    def client(self) -> hvac.Client:
        settings = self._settings
        return hvac.Client(
            url=settings.url,
            token=settings.resolved_token(),
            verify=settings.ca_file or True,
            timeout=settings.timeout_seconds,
        )

    @provide
    def store(self, client: hvac.Client) -> SecretStore:
        return VaultSecrets(client, mount=self._settings.kv_mount, prefix=self._settings.kv_prefix)


class VaultDatabaseProvider(Provider):
    """Replaces the kernel's engine: needs ``VaultSecretsProvider``'s client."""

    scope = Scope.APP

    def __init__(self, settings: VaultSettings) -> None:
        super().__init__()
        self._settings = settings

    @provide
    async def credentials(self, client: hvac.Client) -> AsyncIterator[DatabaseCredentialSource]:
        source = VaultDatabaseCredentials(
            client, self._settings.database_role, mount=self._settings.database_mount
        )
        await source.refresh()
        keeper = asyncio.create_task(source.maintain())
        yield source
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper

    @provide(override=True)
    async def engine(
        self, settings: DatabaseSettings, credentials: DatabaseCredentialSource
    ) -> AsyncIterator[AsyncEngine]:
        engine = make_engine(settings, credentials)
        yield engine
        await engine.dispose()


def secrets_providers(settings: SecretsSettings, *, database: bool = True) -> list[Provider]:
    """The providers ``settings.backend`` names; ``database``: the app has a database."""
    if settings.backend == "environment":
        return [EnvironmentSecretsProvider()]
    providers: list[Provider] = [VaultSecretsProvider(settings.vault)]
    if database and settings.vault.database_role:
        providers.append(VaultDatabaseProvider(settings.vault))
    return providers
