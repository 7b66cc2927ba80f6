"""Use cases over the module's MEMORY composition, with a clock the test drives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from dishka import AsyncContainer

from cmh.kernel.clock import FrozenClock
from cmh_testing.analytics import memory_analytics
from cmh_testing.analytics.events import T0


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0 + timedelta(hours=2))


@pytest.fixture
async def container(clock: FrozenClock) -> AsyncIterator[AsyncContainer]:
    built = memory_analytics(clock)
    yield built
    await built.close()
