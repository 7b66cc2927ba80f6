from collections.abc import AsyncIterator

import pytest

from cmh_testing.users import UsersWorld


@pytest.fixture
async def world() -> AsyncIterator[UsersWorld]:
    opened = await UsersWorld.open()
    yield opened
    await opened.close()
