"""The Labs API over the module's EMBEDDED composition (SQLite file, jobs run in the
process, clouds in memory, users and courses stand-ins), with a frozen clock and tokens
signed by a test key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.labs.adapters.memory.cloud import MemoryCloudLab
from cmh.labs.adapters.memory.jobs import MemoryLabJobs
from cmh.labs.adapters.memory.services import MemoryEntitlements
from cmh.labs.application.keep_warm_pools import WarmPoolKeeper
from cmh.labs.domain.template import CloudProvider
from cmh_testing.labs import LabsTestApp, build_labs_test_app

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="learner", roles=frozenset({"learner"}))
OTHER = Principal(user_id="learner-2", roles=frozenset({"learner"}))
COURSES = Principal(user_id="service:courses", roles=frozenset({"service"}))

Client = AsyncTestClient[Litestar]


class LabsApi(LabsTestApp):
    """The app and the in-process fakes a test arranges or observes."""

    async def jobs(self) -> MemoryLabJobs:
        return await self.container.get(MemoryLabJobs)

    def aws(self) -> MemoryCloudLab:
        assert self.clouds is not None
        return self.clouds.lab(CloudProvider.AWS)

    async def entitlements(self) -> MemoryEntitlements:
        return await self.container.get(MemoryEntitlements)

    async def keep_warm(self) -> None:
        """One warm-pool pass, as the timer runs it, and its jobs."""
        async with self.container() as request:
            await (await request.get(WarmPoolKeeper)).execute()
        await (await self.jobs()).idle()


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[LabsApi]:
    built = await build_labs_test_app(
        tmp_path, FrozenClock(datetime.now(UTC).replace(microsecond=0))
    )
    api = LabsApi(**{name: getattr(built, name) for name in built.__dataclass_fields__})
    yield api
    await api.container.close()


@pytest.fixture
async def client(api: LabsApi) -> AsyncIterator[Client]:
    async with AsyncTestClient(api.app) as client:
        yield client
