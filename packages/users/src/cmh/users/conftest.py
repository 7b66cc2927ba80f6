"""Fixtures shared by the Users tests: databases (SQLite always; PostgreSQL through the
kernel's test servers, which skip without ``CMH_TEST_POSTGRES_URL`` and fail under CI)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from cmh_testing.kernel.servers import fresh_postgres_database


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'users.db'}"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database for the whole test module, dropped afterwards."""
    async with fresh_postgres_database("cmh_t_users") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using it runs on SQLite and on PostgreSQL. A plain (sync) fixture on
    purpose: it sets the module's database up before any event loop runs."""
    return str(request.getfixturevalue(f"{request.param}_url"))
