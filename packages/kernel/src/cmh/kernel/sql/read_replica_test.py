"""Read-only requests read from the real streaming replica (infra/local's 15/replica), and a
caller always reads their own writes: from the primary while the replica lags behind them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.kernel import context
from cmh.kernel.cache import MemoryCache
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.read_replica import ReplicaReads, last_write_key
from cmh_testing.kernel.servers import fresh_postgres_database, postgres_replica_url

pytestmark = pytest.mark.integration

ADA = "Bearer ada-token"
GRACE = "Bearer grace-token"


@contextmanager
def request(*, reading: bool, authorization: str | None) -> Iterator[None]:
    """What the HTTP middleware sets for a request."""
    tokens = (context.reading.set(reading), context.authorization.set(authorization))
    try:
        yield
    finally:
        context.reading.reset(tokens[0])
        context.authorization.reset(tokens[1])


@dataclass
class Databases:
    primary: async_sessionmaker[AsyncSession]
    replica: async_sessionmaker[AsyncSession]
    writes: MemoryCache

    def routing(self) -> ReplicaReads:
        return ReplicaReads(self.primary, self.replica, self.writes)


async def on_standby(sessions: async_sessionmaker[AsyncSession]) -> bool:
    async with sessions() as session:
        return bool(await session.scalar(text("SELECT pg_is_in_recovery()")))


async def replica_ready(url: str) -> None:
    """A database created on the primary exists on the replica once its WAL is replayed."""
    engine = make_engine(DatabaseSettings(url=url, pool_size=1))
    try:
        for _ in range(100):
            try:
                async with engine.connect() as conn:
                    if await conn.scalar(text("SELECT to_regclass('notes') IS NOT NULL")):
                        return
            except DBAPIError:  # not replayed yet: "database ... does not exist"
                pass
            await asyncio.sleep(0.1)
        raise AssertionError("the replica never replayed the test database's creation")
    finally:
        await engine.dispose()


@pytest.fixture
async def databases() -> AsyncIterator[Databases]:
    async with fresh_postgres_database("cmh_replica_t") as url:
        name = make_url(url).database
        setup = make_engine(DatabaseSettings(url=url, pool_size=1))
        async with setup.begin() as conn:
            # As a primary with a replica should: the WAL leaves at commit, not up to
            # 3 x wal_writer_delay later (infra/local turns synchronous_commit off).
            await conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = on'))
            await conn.execute(text("CREATE TABLE notes (id text PRIMARY KEY)"))
        await setup.dispose()
        primary = make_engine(DatabaseSettings(url=url, pool_size=2))
        replica_url = (
            make_url(postgres_replica_url())
            .set(database=name)
            .render_as_string(hide_password=False)
        )
        await replica_ready(replica_url)
        replica = make_engine(DatabaseSettings(url=replica_url, pool_size=2))
        try:
            yield Databases(
                make_session_factory(primary), make_session_factory(replica), MemoryCache()
            )
        finally:
            await replica.dispose()
            await primary.dispose()


async def write_note(databases: Databases, routing: ReplicaReads, note: str) -> None:
    """A command's unit of work: on the primary, and ``committed`` told after the commit."""
    async with (await routing.sessions())() as session:
        await session.execute(text("INSERT INTO notes VALUES (:id)"), {"id": note})
        await session.commit()
        await routing.committed(session)


async def notes(sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    async with sessions() as session:
        return set(await session.scalars(text("SELECT id FROM notes")))


async def test_an_anonymous_read_goes_to_the_replica_and_a_write_to_the_primary(
    databases: Databases,
) -> None:
    routing = databases.routing()
    with request(reading=True, authorization=None):
        assert await on_standby(await routing.sessions())
    with request(reading=False, authorization=ADA):
        assert not await on_standby(await routing.sessions())
    # Outside any request (a consumer, the relay): the primary.
    assert not await on_standby(await routing.sessions())


async def test_a_caller_without_recent_writes_reads_from_the_replica(
    databases: Databases,
) -> None:
    routing = databases.routing()
    with request(reading=False, authorization=ADA):
        await write_note(databases, routing, "ada-1")
    with request(reading=True, authorization=GRACE):
        assert await on_standby(await routing.sessions())


async def test_a_caller_always_reads_their_own_write(databases: Databases) -> None:
    routing = databases.routing()
    for n in range(20):
        with request(reading=False, authorization=ADA):
            await write_note(databases, routing, f"ada-{n}")
        with request(reading=True, authorization=ADA):
            assert f"ada-{n}" in await notes(await routing.sessions())


async def test_anyone_told_of_a_write_finds_it_on_the_replica(databases: Databases) -> None:
    routing = databases.routing()
    for n in range(20):
        with request(reading=False, authorization=ADA):
            await write_note(databases, routing, f"ada-{n}")
        # Grace, who never wrote, reads from the replica: the write's answer waited for it.
        with request(reading=True, authorization=GRACE):
            sessions = await routing.sessions()
            assert await on_standby(sessions)
            assert f"ada-{n}" in await notes(sessions)


async def test_reads_stay_on_the_primary_until_the_replica_has_replayed_the_callers_write(
    databases: Databases,
) -> None:
    routing = databases.routing()
    with request(reading=False, authorization=ADA):
        await write_note(databases, routing, "ada-1")
    with request(reading=True, authorization=ADA):
        # The replica catches up within moments: then Ada reads from it again.
        for _ in range(100):
            if await on_standby(await routing.sessions()):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("Ada's reads never went back to the replica")
        assert "ada-1" in await notes(databases.replica)

    # A write the replica has not replayed (as if it lagged a whole GiB behind): Ada's
    # reads go to the primary, Grace's stay on the replica.
    far_ahead = 2**62
    await databases.writes.set(last_write_key(ADA), str(far_ahead).encode(), ttl_seconds=60)
    with request(reading=True, authorization=ADA):
        assert not await on_standby(await routing.sessions())
    with request(reading=True, authorization=GRACE):
        assert await on_standby(await routing.sessions())


class BrokenCache(MemoryCache):
    async def get(self, key: str) -> bytes | None:
        raise ConnectionError("redis is down")

    async def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        raise ConnectionError("redis is down")


async def test_without_the_write_positions_a_callers_reads_go_to_the_primary(
    databases: Databases,
) -> None:
    routing = ReplicaReads(databases.primary, databases.replica, BrokenCache())
    with request(reading=False, authorization=ADA):
        await write_note(databases, routing, "ada-1")  # the write stands all the same
    with request(reading=True, authorization=ADA):
        sessions = await routing.sessions()
        assert not await on_standby(sessions)
        assert "ada-1" in await notes(sessions)
    with request(reading=True, authorization=None):
        assert await on_standby(await routing.sessions())


async def test_reads_go_to_the_primary_while_the_replica_does_not_answer(
    databases: Databases,
) -> None:
    # A replica nobody listens for (a stopped server, a network cut).
    gone = make_engine(DatabaseSettings(url="postgresql+asyncpg://cmh:cmh@127.0.0.1:9/cmh"))
    routing = ReplicaReads(databases.primary, make_session_factory(gone), databases.writes)
    try:
        with request(reading=False, authorization=ADA):
            await write_note(databases, routing, "ada-1")  # does not wait for it either
        for caller in (None, ADA, GRACE):
            with request(reading=True, authorization=caller):
                sessions = await routing.sessions()
                assert not await on_standby(sessions)
                assert "ada-1" in await notes(sessions)
    finally:
        await gone.dispose()
