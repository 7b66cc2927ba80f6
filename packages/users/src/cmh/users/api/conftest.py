from collections.abc import AsyncIterator

import pytest

from cmh_testing.users.http import UsersApi, users_api


@pytest.fixture
async def api(sqlite_url: str) -> AsyncIterator[UsersApi]:
    async with users_api(sqlite_url) as api:
        yield api
