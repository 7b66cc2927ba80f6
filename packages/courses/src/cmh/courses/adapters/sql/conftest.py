"""The repository contract runs against memory, SQLite (temp file) and real PostgreSQL
(one fresh database for the module)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.courses.adapters.memory.repositories import (
    MemoryCourseRepository,
    MemoryEnrollmentRepository,
    MemoryProgressRepository,
)
from cmh.courses.adapters.sql.course_repository import SqlCourseRepository
from cmh.courses.adapters.sql.learning_repositories import (
    SqlEnrollmentRepository,
    SqlProgressRepository,
)
from cmh.courses.adapters.sql.migrations import COURSES_MIGRATIONS
from cmh.courses.application.integration_events import COURSES_EVENTS
from cmh.kernel.clock import FrozenClock, UuidGenerator
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh_testing.kernel.servers import fresh_postgres_database


class Stores:
    """Hands out repositories; ``open()`` starts a new session (a new transaction of the
    in-memory unit of work), so a test can check that what one committed another one reads
    back, and that what one left uncommitted is gone. ``rollback()`` undoes the open one."""

    def __init__(self, engine: AsyncEngine | None) -> None:
        self._engine = engine
        self._sessions = make_session_factory(engine) if engine is not None else None
        self._open: list[Any] = []
        self._uow = InMemoryUnitOfWork(events=COURSES_EVENTS)
        self._memory = (
            MemoryCourseRepository(self._uow),
            MemoryEnrollmentRepository(self._uow),
            MemoryProgressRepository(self._uow),
        )

    async def open(self) -> tuple[Any, Any, Any, Any]:
        """(courses, enrollments, progress, commit)"""
        await self._close_sessions()  # like a finished unit of work: uncommitted work is undone
        if self._sessions is None:
            await self._uow.__aenter__()
            self._open.append(self._uow)
            return (*self._memory, self._uow.commit)
        session = self._sessions()
        self._open.append(session)
        # What the repositories hand saved aggregates to (these tests commit the session).
        uow = SqlUnitOfWork(
            session, FrozenClock(), UuidGenerator(), "test", OutboxWakeup(), COURSES_EVENTS
        )
        return (
            SqlCourseRepository(session, uow),
            SqlEnrollmentRepository(session, uow),
            SqlProgressRepository(session, uow),
            session.commit,
        )

    async def rollback(self) -> None:
        for opened in self._open:
            if isinstance(opened, InMemoryUnitOfWork):
                await opened.__aexit__(RuntimeError, RuntimeError("rolled back"), None)
            else:
                await opened.rollback()
                await opened.close()
        self._open.clear()

    async def _close_sessions(self) -> None:
        for opened in self._open:
            if isinstance(opened, InMemoryUnitOfWork):
                await opened.__aexit__(None, None, None)
            else:
                await opened.close()
        self._open.clear()

    async def close(self) -> None:
        await self._close_sessions()
        if self._engine is not None:
            await self._engine.dispose()


async def migrated_engine(url: str) -> AsyncEngine:
    engine = make_engine(DatabaseSettings(url=url))
    await upgrade(engine, [KERNEL_MIGRATIONS, COURSES_MIGRATIONS])
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
        path: Path = tmp_path_factory.mktemp("courses") / "courses.db"
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
