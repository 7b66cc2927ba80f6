"""The Alembic migrations build exactly the tables the SQL adapters are written against."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.users.adapters.sql import USERS_MIGRATIONS
from cmh.users.adapters.sql.tables import users_metadata


def _only_users_tables(name: str | None, type_: str, parent_names: Any) -> bool:
    return type_ != "table" or (name or "").startswith("users_")


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"include_name": _only_users_tables, "compare_type": True}
    )
    return list(compare_metadata(context, users_metadata))


async def test_migrations_match_the_tables(database_url: str) -> None:
    engine = make_engine(DatabaseSettings(url=database_url))
    try:
        await upgrade(engine, [KERNEL_MIGRATIONS, USERS_MIGRATIONS])
        await upgrade(engine, [KERNEL_MIGRATIONS, USERS_MIGRATIONS])  # a second run changes nothing
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
    finally:
        await engine.dispose()
