"""Real servers for integration tests: URLs from the environment that ``infra/local``
exports (or that testcontainers fills in where a Docker engine answers).

Without the variable a test skips on a laptop, but fails under CI: there a missing
server is a broken setup, never a reason to pass.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.engine import make_url


def server_url(variable: str) -> str:
    value = os.environ.get(variable)
    if value:
        return value
    message = (
        f"{variable} is not set: run `make infra-up` (infra/local) and source infra/local/env.sh"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def postgres_url() -> str:
    return server_url("CMH_TEST_POSTGRES_URL")


def postgres_replica_url() -> str:
    """``postgres_url``'s database on the primary's streaming replica (reads only)."""
    return server_url("CMH_TEST_POSTGRES_REPLICA_URL")


def redis_url() -> str:
    return server_url("CMH_TEST_REDIS_URL")


def kafka_bootstrap() -> str:
    return server_url("CMH_TEST_KAFKA_BOOTSTRAP")


def mongo_url() -> str:
    return server_url("CMH_TEST_MONGO_URL")


def elasticsearch_url() -> str:
    return server_url("CMH_TEST_ELASTICSEARCH_URL")


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@asynccontextmanager
async def fresh_postgres_database(prefix: str = "cmh_t") -> AsyncIterator[str]:
    """A new, empty database for one test module; dropped afterwards."""
    import asyncpg

    base = make_url(postgres_url())
    name = unique_name(prefix)
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
