"""What counts as an outage: a connection lost or refused, wrapped however the driver and
SQLAlchemy wrap it; never a constraint broken or a bug."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio
import redis.exceptions
import sqlalchemy.exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cmh.kernel.errors import DependencyUnavailable, InvalidInput
from cmh.kernel.outages import is_outage
from cmh.kernel.refused_values import is_refused_value
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine
from cmh_testing.kernel.servers import fresh_postgres_database


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "refused"),
        ConnectionResetError(104, "reset by peer"),
        TimeoutError(),
        DependencyUnavailable("users did not answer"),
        redis.exceptions.ConnectionError("Error 111 connecting"),
        sqlite3.OperationalError("database is locked"),
        sqlalchemy.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "refused")),
    ],
    ids=repr,
)
def test_a_lost_or_refused_connection_is_an_outage(exc: BaseException) -> None:
    assert is_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("a bug"),
        KeyError("order_id"),
        InvalidInput("bad", field="title"),
        sqlite3.OperationalError("no such table: courses"),
        sqlalchemy.exc.IntegrityError("INSERT", {}, Exception("duplicate key")),
    ],
    ids=repr,
)
def test_a_fault_of_the_request_or_the_code_is_not(exc: BaseException) -> None:
    assert not is_outage(exc)


def test_a_cause_is_followed_through_the_wrapping() -> None:
    outer = RuntimeError("the unit of work failed")
    outer.__cause__ = ConnectionResetError(104, "reset")
    assert is_outage(outer)
    assert not is_outage(RuntimeError("the unit of work failed"))


async def test_a_locked_sqlite_database_is_an_outage(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    waiter = create_async_engine(f"sqlite+aiosqlite:///{path}", connect_args={"timeout": 0.05})
    try:
        with pytest.raises(sqlalchemy.exc.OperationalError) as raised:
            async with waiter.begin() as conn:
                await conn.execute(text("INSERT INTO t VALUES (1)"))
        assert is_outage(raised.value)
    finally:
        holder.close()
        await waiter.dispose()


@pytest.mark.integration
async def test_postgres_dropping_the_connection_mid_query_is_an_outage() -> None:
    async with fresh_postgres_database() as url:
        engine = make_engine(DatabaseSettings(url=url))
        try:
            async with engine.connect() as conn:
                pid = await conn.scalar(text("SELECT pg_backend_pid()"))
                other = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
                await other.execute("SELECT pg_terminate_backend($1)", pid)
                await other.close()
                with pytest.raises(sqlalchemy.exc.DBAPIError) as raised:
                    await conn.execute(text("SELECT 1"))
            assert is_outage(raised.value)
        finally:
            await engine.dispose()


@pytest.mark.integration
async def test_postgres_refusing_a_new_connection_is_an_outage() -> None:
    # A port nothing listens on: what the pool meets while PostgreSQL restarts.
    engine = make_engine(DatabaseSettings(url="postgresql+asyncpg://cmh:cmh@127.0.0.1:9/cmh"))
    try:
        with pytest.raises(Exception) as raised:  # noqa: PT011 - the driver picks the type
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        assert is_outage(raised.value)
    finally:
        await engine.dispose()


@pytest.mark.integration
async def test_a_unique_violation_on_postgres_is_not_an_outage() -> None:
    async with fresh_postgres_database() as url:
        engine = make_engine(DatabaseSettings(url=url))
        try:
            async with engine.begin() as conn:
                await conn.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
                await conn.execute(text("INSERT INTO t VALUES (1)"))
            with pytest.raises(sqlalchemy.exc.IntegrityError) as raised:
                async with engine.begin() as conn:
                    await conn.execute(text("INSERT INTO t VALUES (1)"))
            assert not is_outage(raised.value)
        finally:
            await engine.dispose()


async def test_redis_refusing_the_connection_is_an_outage() -> None:
    client = redis.asyncio.Redis(host="127.0.0.1", port=9, socket_connect_timeout=1)
    try:
        with pytest.raises(redis.exceptions.ConnectionError) as raised:
            await client.ping()
        assert is_outage(raised.value)
    finally:
        await client.aclose()


@pytest.mark.integration
async def test_postgres_refusing_a_nul_is_a_refused_value_not_an_outage() -> None:
    async with fresh_postgres_database() as url:
        engine = make_engine(DatabaseSettings(url=url))
        try:
            with pytest.raises(sqlalchemy.exc.DBAPIError) as raised:
                async with engine.connect() as conn:
                    await conn.execute(text("SELECT CAST(:v AS text)"), {"v": "a\x00b"})
            assert is_refused_value(raised.value)
            assert not is_outage(raised.value)
            assert not is_refused_value(ConnectionRefusedError(111, "refused"))
        finally:
            await engine.dispose()
