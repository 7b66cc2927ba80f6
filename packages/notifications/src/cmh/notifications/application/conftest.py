"""Use cases over the module's MEMORY composition, with a clock the test drives; events
arrive the way the kernel delivers them (its consumer runner, the inbox claim)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from dishka import AsyncContainer

from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.clock import FrozenClock
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.notifications.adapters.memory.jobs import MemoryMailJobs
from cmh.notifications.adapters.memory.repositories import (
    MemoryDeliveryRepository,
    MemoryNotificationRepository,
)
from cmh.notifications.adapters.memory.services import (
    InProcessPush,
    MemoryMailer,
    MemoryUserProfiles,
)
from cmh.notifications.application.ports import (
    DeliveryRepository,
    NotificationRepository,
    UnsubscribeLinks,
)
from cmh.notifications.domain.delivery import Delivery
from cmh.notifications.domain.notification import Notification
from cmh_testing.notifications import memory_notifications
from cmh_testing.notifications.events import deliver_event

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday afternoon


@dataclass
class World:
    container: AsyncContainer
    clock: FrozenClock
    dead_letters: list[OutgoingMessage]

    async def publish(self, event: IntegrationEvent, event_id: str | None = None) -> str:
        """Delivers ``event`` to every subscription that takes it; its envelope id."""
        return await deliver_event(
            self.container,
            event,
            event_id=event_id,
            at=self.clock.now(),
            dead_letters=self.dead_letters,
        )

    async def register(self, user_id: str, *, name: str = "Ada", email: str = "") -> str:
        return await self.publish(
            UserRegisteredV1(
                user_id=user_id,
                email=email or f"{user_id}@example.com",
                display_name=name,
                role="learner",
            )
        )

    async def get(self, kind: type[Any]) -> Any:
        return await self.container.get(kind)

    async def use(self, kind: type[Any]) -> Any:
        async with self.container() as request:
            return await request.get(kind)

    async def mailer(self) -> MemoryMailer:
        mailer: MemoryMailer = await self.get(MemoryMailer)
        return mailer

    async def jobs(self) -> MemoryMailJobs:
        jobs: MemoryMailJobs = await self.get(MemoryMailJobs)
        return jobs

    async def profiles(self) -> MemoryUserProfiles:
        profiles: MemoryUserProfiles = await self.get(MemoryUserProfiles)
        return profiles

    async def push(self) -> InProcessPush:
        push: InProcessPush = await self.get(InProcessPush)
        return push

    async def links(self) -> UnsubscribeLinks:
        links: UnsubscribeLinks = await self.get(UnsubscribeLinks)
        return links

    async def notifications(self) -> list[Notification]:
        store = await self.get(NotificationRepository)
        assert isinstance(store, MemoryNotificationRepository)
        return list(store.rows.values())

    async def deliveries(self) -> list[Delivery]:
        store = await self.get(DeliveryRepository)
        assert isinstance(store, MemoryDeliveryRepository)
        return list(store.rows.values())


@pytest.fixture
async def world() -> AsyncIterator[World]:
    clock = FrozenClock(NOW)
    container = memory_notifications(clock)
    yield World(container, clock, [])
    await container.close()
