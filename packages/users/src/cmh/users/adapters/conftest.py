"""One repository contract, three backends: in-memory, SQLite and PostgreSQL (the last
one integration-marked). The same tests run against each, so the fake cannot drift."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from cmh.kernel.clock import FrozenClock, UuidGenerator
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.users.adapters.memory import (
    MemoryAuditLog,
    MemoryOneTimeTokenStore,
    MemoryRefreshTokenStore,
    MemoryUserRepository,
    MemoryUsersState,
)
from cmh.users.adapters.sql import USERS_MIGRATIONS
from cmh.users.adapters.sql.audit_log import SqlAuditLog
from cmh.users.adapters.sql.one_time_tokens import SqlOneTimeTokenStore
from cmh.users.adapters.sql.refresh_tokens import SqlRefreshTokenStore
from cmh.users.adapters.sql.tables import users_metadata
from cmh.users.adapters.sql.users import SqlUserRepository
from cmh.users.application.integration_events import USERS_EVENTS
from cmh.users.application.ports import (
    AuditLog,
    OneTimeTokenStore,
    RefreshTokenStore,
    UserRepository,
)


@dataclass
class Repositories:
    users: UserRepository
    refresh_tokens: RefreshTokenStore
    one_time_tokens: OneTimeTokenStore
    audit_log: AuditLog
    commit: Callable[[], Awaitable[None]]


class Backend(Protocol):
    def transaction(self) -> contextlib.AbstractAsyncContextManager[Repositories]: ...


class MemoryBackend:
    def __init__(self) -> None:
        self.state = MemoryUsersState(InMemoryUnitOfWork(events=USERS_EVENTS))

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repositories]:
        """Ends like a SQL session: what was not committed is rolled back."""
        async with self.state.uow as uow:
            yield Repositories(
                MemoryUserRepository(self.state),
                MemoryRefreshTokenStore(self.state),
                MemoryOneTimeTokenStore(self.state),
                MemoryAuditLog(self.state),
                uow.commit,
            )


class SqlBackend:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions: async_sessionmaker[AsyncSession] = make_session_factory(engine)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repositories]:
        async with self._sessions() as session:
            yield Repositories(
                SqlUserRepository(session, _unit_of(session)),
                SqlRefreshTokenStore(session),
                SqlOneTimeTokenStore(session),
                SqlAuditLog(session),
                session.commit,
            )


async def migrated_engine(url: str) -> AsyncEngine:
    engine = make_engine(DatabaseSettings(url=url))
    await upgrade(engine, [KERNEL_MIGRATIONS, USERS_MIGRATIONS])
    # The PostgreSQL database lives for the whole module: start every test empty.
    async with engine.begin() as conn:
        for table in reversed(users_metadata.sorted_tables):
            await conn.execute(delete(table))
    return engine


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.integration)]
)
def backend_url(request: pytest.FixtureRequest) -> str | None:
    """None for the in-memory backend, else the database URL (set up before any loop runs)."""
    if request.param == "memory":
        return None
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
async def backend(backend_url: str | None) -> AsyncIterator[Backend]:
    if backend_url is None:
        yield MemoryBackend()
        return
    engine = await migrated_engine(backend_url)
    try:
        yield SqlBackend(engine)
    finally:
        await engine.dispose()


def _unit_of(session: AsyncSession) -> SqlUnitOfWork:
    """What the repository hands saved users to (these tests commit the session itself)."""
    return SqlUnitOfWork(
        session, FrozenClock(), UuidGenerator(), "test", OutboxWakeup(), USERS_EVENTS
    )
