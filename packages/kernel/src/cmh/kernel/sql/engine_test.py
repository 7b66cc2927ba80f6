"""The SQLite engine keeps a pool of connections as large as the PostgreSQL one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine


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
