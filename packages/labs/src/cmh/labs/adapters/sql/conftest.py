"""The store contract runs against memory, SQLite (temp file) and real PostgreSQL (one
fresh database for the module)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.clock import FrozenClock, UuidGenerator
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.labs.adapters.memory.repositories import (
    MemoryLabHoursLedger,
    MemoryMeterReadings,
    MemorySessionAccessRepository,
    MemorySessionRepository,
    MemoryTemplateRepository,
    MemoryWarmPoolRepository,
)
from cmh.labs.adapters.sql.migrations import LABS_MIGRATIONS
from cmh.labs.adapters.sql.repositories import (
    SqlLabHoursLedger,
    SqlMeterReadings,
    SqlSessionAccessRepository,
    SqlSessionRepository,
    SqlTemplateRepository,
    SqlWarmPoolRepository,
)
from cmh.labs.application.integration_events import LABS_EVENTS
from cmh.labs.application.ports import (
    LabHoursLedger,
    MeterReadings,
    SessionAccessRepository,
    SessionRepository,
    TemplateRepository,
    WarmPoolRepository,
)
from cmh_testing.kernel.servers import fresh_postgres_database


@dataclass
class Opened:
    templates: TemplateRepository
    sessions: SessionRepository
    access: SessionAccessRepository
    readings: MeterReadings
    ledger: LabHoursLedger
    pool: WarmPoolRepository
    commit: Callable[[], Awaitable[None]]


class Stores:
    """Hands out stores; ``open()`` starts a new transaction (of the database, or of the
    in-memory unit of work), so a test checks that what one committed another reads back
    and that what one left uncommitted is gone."""

    def __init__(self, engine: AsyncEngine | None) -> None:
        self._engine = engine
        self._sessions = make_session_factory(engine) if engine is not None else None
        self._open: list[Any] = []
        self._uow = InMemoryUnitOfWork("cloudmastershub/labs", LABS_EVENTS)
        self._memory = (
            MemoryTemplateRepository(self._uow),
            MemorySessionRepository(self._uow),
            MemorySessionAccessRepository(self._uow),
            MemoryMeterReadings(self._uow),
            MemoryLabHoursLedger(self._uow),
            MemoryWarmPoolRepository(self._uow),
        )

    async def open(self) -> Opened:
        await self._close_open()  # like a finished unit of work: uncommitted work is undone
        if self._sessions is None:
            await self._uow.__aenter__()
            self._open.append(self._uow)
            return Opened(*self._memory, commit=self._uow.commit)
        session = self._sessions()
        self._open.append(session)
        # What the repositories hand saved aggregates to (these tests commit the session).
        uow = SqlUnitOfWork(
            session, FrozenClock(), UuidGenerator(), "test", OutboxWakeup(), LABS_EVENTS
        )
        return Opened(
            SqlTemplateRepository(session, uow),
            SqlSessionRepository(session, uow),
            SqlSessionAccessRepository(session),
            SqlMeterReadings(session),
            SqlLabHoursLedger(session),
            SqlWarmPoolRepository(session),
            commit=session.commit,
        )

    async def _close_open(self) -> None:
        for opened in self._open:
            if isinstance(opened, InMemoryUnitOfWork):
                await opened.__aexit__(None, None, None)
            else:
                await opened.close()
        self._open.clear()

    async def close(self) -> None:
        await self._close_open()
        if self._engine is not None:
            await self._engine.dispose()


async def migrated_engine(url: str) -> AsyncEngine:
    engine = make_engine(DatabaseSettings(url=url))
    await upgrade(engine, [KERNEL_MIGRATIONS, LABS_MIGRATIONS])
    return engine


@pytest_asyncio.fixture(
    scope="module",
    loop_scope="module",
    params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.integration)],
)
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """ "" for memory; a migrated SQLite file or fresh PostgreSQL database otherwise."""
    if request.param == "memory":
        yield ""
    elif request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("labs") / "labs.db"
        url = f"sqlite+aiosqlite:///{path}"
        await (await migrated_engine(url)).dispose()
        yield url
    else:
        async with fresh_postgres_database() as url:
            await (await migrated_engine(url)).dispose()
            yield url


@pytest.fixture
async def stores(database_url: str) -> AsyncIterator[Stores]:
    engine = make_engine(DatabaseSettings(url=database_url, pool_size=2)) if database_url else None
    stores = Stores(engine)
    yield stores
    await stores.close()
