"""The Notifications API over the module's EMBEDDED composition (SQLite file, mail jobs in
the process, a memory mailer, users stand-in), with a frozen clock and tokens signed by a
test key. Events arrive the way the kernel delivers them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.notifications.adapters.memory.jobs import MemoryMailJobs
from cmh_testing.notifications import NotificationsTestApp, build_notifications_test_app
from cmh_testing.notifications.events import deliver_event

LEARNER = Principal(user_id="ada", roles=frozenset({"learner"}))
OTHER = Principal(user_id="grace", roles=frozenset({"learner"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))

Client = AsyncTestClient[Litestar]


class NotificationsApi(NotificationsTestApp):
    async def publish(self, event: IntegrationEvent) -> None:
        await deliver_event(self.container, event, at=self.clock.now())

    async def register(self, principal: Principal, name: str = "Ada") -> None:
        await self.publish(
            UserRegisteredV1(
                user_id=principal.user_id,
                email=f"{principal.user_id}@example.com",
                display_name=name,
                role="learner",
            )
        )

    async def mail_sent(self) -> None:
        await (await self.container.get(MemoryMailJobs)).idle()


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[NotificationsApi]:
    built = await build_notifications_test_app(
        tmp_path, FrozenClock(datetime.now(UTC).replace(microsecond=0))
    )
    api = NotificationsApi(**{name: getattr(built, name) for name in built.__dataclass_fields__})
    yield api
    await api.container.close()


@pytest.fixture
async def client(api: NotificationsApi) -> AsyncIterator[Client]:
    async with AsyncTestClient(api.app) as client:
        yield client
