"""The embedded profile's bus: the outbox relay hands messages straight to subscribers."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence

from dishka import AsyncContainer

from cmh.contracts.events.base import decode_envelope
from cmh.kernel.messaging.delivery import deliver
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription
from cmh.kernel.telemetry.messaging import publishing


class InProcessBus:
    # What the bus carried, for operators and journeys: bounded, since `make run` may run
    # for days and nothing else ever drops these.
    HISTORY = 10_000

    def __init__(self, subscriptions: Iterable[Subscription] = ()) -> None:
        self._by_topic: dict[str, list[Subscription]] = defaultdict(list)
        for subscription in subscriptions:
            self._by_topic[subscription.topic].append(subscription)
        self._container: AsyncContainer | None = None
        self.dead_letters: deque[OutgoingMessage] = deque(maxlen=self.HISTORY)
        self.published: deque[OutgoingMessage] = deque(maxlen=self.HISTORY)

    def bind(self, container: AsyncContainer) -> None:
        """Subscribers resolve their handlers from the container built around this bus."""
        self._container = container

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        for message in messages:
            self.published.append(message)
            subscribers = self._by_topic.get(message.topic, [])
            if not subscribers:
                continue
            if self._container is None:
                raise RuntimeError("InProcessBus.bind(container) was not called")
            envelope = decode_envelope(message.payload)
            # Subscribers run inside the relay's span: one trace from the use case on.
            with publishing(message):
                for subscription in subscribers:
                    await deliver(self._container, subscription, envelope, self._park)

    async def _park(self, message: OutgoingMessage) -> None:
        self.dead_letters.append(message)
