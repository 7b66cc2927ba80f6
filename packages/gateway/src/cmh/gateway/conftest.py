from collections.abc import AsyncIterator

import pytest

from cmh_testing.gateway.world import World, running_world


@pytest.fixture
async def world() -> AsyncIterator[World]:
    async with running_world() as running:
        yield running
