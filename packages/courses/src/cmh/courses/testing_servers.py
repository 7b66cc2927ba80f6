"""Fixtures' access to the real servers ``infra/local`` starts.

A test that needs one reads its URL from the environment: unset means skip on a laptop
but fail in CI (``CI`` set), where a missing server is a broken pipeline, not a pass.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.engine import make_url


def server_url(variable: str) -> str:
    value = os.environ.get(variable)
    if value:
        return value
    if os.environ.get("CI"):
        pytest.fail(f"{variable} is not set; CI must run the integration tier against real servers")
    pytest.skip(f"{variable} is not set (start infra/local to run this test)")


@asynccontextmanager
async def fresh_postgres_database(base_url: str) -> AsyncIterator[str]:
    """Creates ``cmh_t_<random>`` next to the database of ``base_url`` and drops it after.
    Yields the SQLAlchemy (asyncpg) URL of the new database."""
    import asyncpg  # only the PostgreSQL tier needs the driver loaded

    url = make_url(base_url)
    name = f"cmh_t_{secrets.token_hex(6)}"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(plain)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(plain)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
