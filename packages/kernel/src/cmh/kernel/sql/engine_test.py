"""The SQLite engine keeps a pool of connections as large as the PostgreSQL one; the
PostgreSQL pool pings only connections that sat idle, and replaces the dead ones."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import event, text

from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import IDLE_BEFORE_PING_SECONDS, make_engine
from cmh_testing.kernel.servers import fresh_postgres_database


async def test_a_sqlite_file_keeps_its_pool_of_connections(tmp_path: Path) -> None:
    settings = DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/pool.db")
    engine = make_engine(settings)
    assert engine.pool.size() == settings.pool_size  # type: ignore[attr-defined]
    await engine.dispose()


async def test_an_in_memory_sqlite_database_still_opens() -> None:
    engine = make_engine(DatabaseSettings(url="sqlite+aiosqlite:///:memory:"))
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT 1")) == 1
    await engine.dispose()


@pytest.mark.integration
async def test_a_pooled_connection_the_server_dropped_is_replaced_once_idle() -> None:
    async with fresh_postgres_database() as url:
        engine = make_engine(DatabaseSettings(url=url))
        try:
            async with engine.connect() as conn:
                pid = await conn.scalar(text("SELECT pg_backend_pid()"))
            # The server drops the pooled connection (a restart, a proxy's idle timeout).
            other = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
            await other.execute("SELECT pg_terminate_backend($1)", pid)
            await other.close()
            await asyncio.sleep(IDLE_BEFORE_PING_SECONDS + 0.2)
            async with engine.connect() as conn:
                assert await conn.scalar(text("SELECT pg_backend_pid()")) != pid
        finally:
            await engine.dispose()


@pytest.mark.integration
async def test_a_connection_in_use_a_moment_ago_is_not_pinged() -> None:
    async with fresh_postgres_database() as url:
        engine = make_engine(DatabaseSettings(url=url))
        statements: list[str] = []
        event.listen(
            engine.sync_engine,
            "before_cursor_execute",
            lambda _c, _cur, statement, *_: statements.append(statement),
        )
        try:
            for _ in range(3):
                async with engine.connect() as conn:
                    await conn.scalar(text("SELECT 1"))
            assert statements == ["SELECT 1"] * 3
        finally:
            await engine.dispose()
