"""Vault's dynamic PostgreSQL credentials: renewed while Vault grants the full lease, read
anew when the max TTL cuts it short or the lease is gone; the engine's next connection
logs in with whatever is current. The fake issues each lease's role in the real local
PostgreSQL as Vault's creation statements do (as a CREATEROLE account)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import asyncpg
import hvac
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cmh.kernel.secrets.ports import SecretNotFound
from cmh.kernel.secrets.vault import VaultDatabaseCredentials
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine
from cmh_testing.kernel.fake_vault import DatabaseRole, FakeVault
from cmh_testing.kernel.servers import postgres_url, server_url


def _credentials(vault: FakeVault, role: str = "app") -> VaultDatabaseCredentials:
    return VaultDatabaseCredentials(hvac.Client(url=vault.url, token="root-token"), role)


async def test_reads_credentials_under_a_lease(fake_vault: FakeVault) -> None:
    fake_vault.roles["app"] = DatabaseRole(ttl=600, max_ttl=3600)

    credentials = await _credentials(fake_vault).refresh()

    assert credentials.username.startswith("v-token-app-")
    assert credentials.password
    assert credentials.lease_id in fake_vault.leases
    assert credentials.lease_seconds == 600


async def test_an_unknown_role_is_refused(fake_vault: FakeVault) -> None:
    with pytest.raises(hvac.exceptions.InvalidRequest):
        await _credentials(fake_vault, "nobody").refresh()


async def test_renews_the_lease_while_vault_grants_all_of_it(fake_vault: FakeVault) -> None:
    fake_vault.roles["app"] = DatabaseRole(ttl=600, max_ttl=3600)
    source = _credentials(fake_vault)
    first = await source.refresh()
    fake_vault.advance(300)

    renewed = await source.keep_fresh()

    assert fake_vault.renewals == 1
    assert (renewed.username, renewed.lease_id) == (first.username, first.lease_id)
    assert fake_vault.leases[first.lease_id].expires_at == pytest.approx(
        fake_vault.now() + 600, abs=5
    )


async def test_reads_new_credentials_when_the_max_ttl_is_near(fake_vault: FakeVault) -> None:
    fake_vault.roles["app"] = DatabaseRole(ttl=600, max_ttl=900)
    source = _credentials(fake_vault)
    first = await source.refresh()
    fake_vault.advance(500)  # 400 s left of the max TTL: less than a full lease

    fresh = await source.keep_fresh()

    assert fresh.username != first.username
    assert fresh.lease_id != first.lease_id
    assert source.current() == fresh


async def test_reads_new_credentials_when_the_lease_is_gone(fake_vault: FakeVault) -> None:
    fake_vault.roles["app"] = DatabaseRole(ttl=600, max_ttl=3600)
    source = _credentials(fake_vault)
    first = await source.refresh()
    fake_vault.advance(700)

    fresh = await source.keep_fresh()

    assert fresh.username != first.username
    assert fake_vault.renewals == 0


async def test_no_credentials_before_the_first_read(fake_vault: FakeVault) -> None:
    with pytest.raises(RuntimeError):
        _credentials(fake_vault).current()
    with pytest.raises(SecretNotFound):
        # A mount that does not exist answers 404, as Vault's router does.
        await VaultDatabaseCredentials(
            hvac.Client(url=fake_vault.url, token="root-token"), "app", mount="nowhere"
        ).refresh()


# --- against the real PostgreSQL -----------------------------------------------------------


@pytest.fixture
def issued_roles() -> Iterator[list[str]]:
    roles: list[str] = []
    yield roles
    admin = server_url("CMH_TEST_POSTGRES_ROLE_ADMIN_URL")

    async def drop() -> None:
        connection = await asyncpg.connect(admin)
        try:
            for role in roles:
                await connection.execute(f'DROP ROLE IF EXISTS "{role}"')
        finally:
            await connection.close()

    asyncio.run(drop())


@pytest.mark.integration
async def test_the_next_connection_logs_in_with_rotated_credentials(
    fake_vault: FakeVault, issued_roles: list[str]
) -> None:
    admin = server_url("CMH_TEST_POSTGRES_ROLE_ADMIN_URL")

    def create_role(role: str) -> tuple[str, str]:
        # Vault's creation statement: CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'.
        username, password = f"v-{role}-{secrets.token_hex(4)}", secrets.token_hex(16)

        async def create() -> None:
            connection = await asyncpg.connect(admin)
            try:
                await connection.execute(f"CREATE ROLE \"{username}\" LOGIN PASSWORD '{password}'")
            finally:
                await connection.close()

        asyncio.run(create())  # the fake's request thread has no event loop of its own
        issued_roles.append(username)
        return username, password

    fake_vault.roles["app"] = DatabaseRole(ttl=600, max_ttl=900, issue=create_role)
    source = _credentials(fake_vault)
    first = await source.refresh()
    # The URL's own user is not who logs in: the credentials are.
    url = make_url(postgres_url()).set(username="nobody", password="wrong")
    engine = make_engine(DatabaseSettings(url=url.render_as_string(hide_password=False)), source)
    try:
        async with engine.connect() as before:
            assert await before.scalar(text("SELECT current_user")) == first.username
            fake_vault.advance(500)
            rotated = await source.keep_fresh()
            # ``before`` is still checked out: the pool must open a new connection.
            async with engine.connect() as after:
                assert await after.scalar(text("SELECT current_user")) == rotated.username
        assert rotated.username != first.username
    finally:
        await engine.dispose()
