"""The Analytics API over the module's EMBEDDED composition (SQLite file, courses and
users stand-ins), with a frozen clock and tokens signed by a test key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh_testing.analytics import AnalyticsTestApp, build_analytics_test_app
from cmh_testing.analytics.events import T0

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
RIVAL = Principal(user_id="rival", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="ann", roles=frozenset({"learner"}))

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[AnalyticsTestApp]:
    built = await build_analytics_test_app(tmp_path, FrozenClock(T0 + timedelta(hours=2)))
    yield built
    await built.container.close()


@pytest.fixture
async def client(api: AnalyticsTestApp) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=api.app) as client:
        yield client
