"""Events handed to the Notifications consumers the way the kernel delivers them (its
consumer runner: request scope, inbox claim, handler, commit), for tests at any layer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from dishka import AsyncContainer

from cmh.contracts.events.base import IntegrationEvent, wrap
from cmh.kernel import context
from cmh.kernel.messaging.delivery import deliver
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.notifications.consumers import subscriptions
from cmh.notifications.consumers.handlers import NotifyHandler


async def deliver_event(
    container: AsyncContainer,
    event: IntegrationEvent,
    *,
    event_id: str | None = None,
    at: datetime | None = None,
    dead_letters: list[OutgoingMessage] | None = None,
) -> str:
    """Delivers ``event`` to every subscription that takes it; its envelope id. A
    dead-lettered event is kept in ``dead_letters`` (or fails the test without it)."""
    envelope = wrap(
        event,
        id=event_id or uuid.uuid4().hex,
        source="cloudmastershub/test",
        subject="s",
        time=at or datetime.now(UTC),
    )

    async def park(message: OutgoingMessage) -> None:
        if dead_letters is None:
            raise AssertionError(f"dead-lettered: {message.headers}")
        dead_letters.append(message)

    for subscription in subscriptions():
        if subscription.topic == event.TOPIC:
            await deliver(container, subscription, envelope, park, attempts=1)
    return envelope.id


async def handle_past_the_inbox(
    container: AsyncContainer, event: IntegrationEvent, event_id: str
) -> None:
    """The notify handler called again for ``event_id`` outside the kernel's inbox (its
    claims purged, another consumer group): only the delivery log's key stops it."""
    async with container() as request:
        handler = await request.get(NotifyHandler)
        token = context.causation_id.set(event_id)
        try:
            await handler(event)
        finally:
            context.causation_id.reset(token)
