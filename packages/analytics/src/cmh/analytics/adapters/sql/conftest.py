"""The warehouse contract runs against memory, SQLite (temp file) and real PostgreSQL
(one fresh database for the module)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.analytics.adapters.memory.warehouse import MemoryFactWarehouse, MemoryRecommendationBoard
from cmh.analytics.adapters.sql.migrations import ANALYTICS_MIGRATIONS
from cmh.analytics.adapters.sql.warehouse import SqlFactWarehouse, SqlRecommendationBoard
from cmh.analytics.application.integration_events import ANALYTICS_EVENTS
from cmh.analytics.application.ports import FactWarehouse, RecommendationBoard
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh_testing.kernel.servers import fresh_postgres_database


@dataclass
class Opened:
    warehouse: FactWarehouse
    board: RecommendationBoard
    tracked: list[Any]
    commit: Callable[[], Awaitable[None]]


class _Tracker:
    def __init__(self) -> None:
        self.tracked: list[Any] = []

    def track(self, aggregate: Any) -> None:
        self.tracked.append(aggregate)


class Stores:
    """``open()`` starts a new transaction: what one committed another reads back; what
    one left uncommitted is gone."""

    def __init__(self, engine: AsyncEngine | None) -> None:
        self._engine = engine
        self._sessions = make_session_factory(engine) if engine is not None else None
        self._open: list[Any] = []
        self._uow = InMemoryUnitOfWork("test", ANALYTICS_EVENTS)
        self._memory = (MemoryFactWarehouse(self._uow), MemoryRecommendationBoard(self._uow))

    async def open(self) -> Opened:
        await self._close_open()
        if self._sessions is None:
            await self._uow.__aenter__()
            self._open.append(self._uow)
            return Opened(*self._memory, tracked=[], commit=self._uow.commit)
        session = self._sessions()
        self._open.append(session)
        tracker = _Tracker()
        return Opened(
            SqlFactWarehouse(session),
            SqlRecommendationBoard(session, tracker),  # type: ignore[arg-type]
            tracked=tracker.tracked,
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
    await upgrade(engine, [KERNEL_MIGRATIONS, ANALYTICS_MIGRATIONS])
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
        path: Path = tmp_path_factory.mktemp("analytics") / "analytics.db"
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
