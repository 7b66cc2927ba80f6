"""The embedded profile's bus: the outbox relay hands messages straight to subscribers."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import NamedTuple

from dishka import AsyncContainer

from cmh.contracts.events.base import decode_envelope
from cmh.kernel.clock import Clock, SystemClock
from cmh.kernel.messaging.dead_letters import count_parked
from cmh.kernel.messaging.delivery import deliver
from cmh.kernel.messaging.parked import DeadLetterView, dead_letter_view
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription
from cmh.kernel.telemetry.messaging import publishing


class Parked(NamedTuple):
    message: OutgoingMessage
    at: datetime


class InProcessBus:
    # What the bus carried, for operators and journeys: bounded, since `make run` may run
    # for days and nothing else ever drops these.
    HISTORY = 10_000

    def __init__(
        self, subscriptions: Iterable[Subscription] = (), clock: Clock | None = None
    ) -> None:
        self._by_topic: dict[str, list[Subscription]] = defaultdict(list)
        for subscription in subscriptions:
            self._by_topic[subscription.topic].append(subscription)
        self._container: AsyncContainer | None = None
        self._clock = clock or SystemClock()
        self.parked: deque[Parked] = deque(maxlen=self.HISTORY)
        self.published: deque[OutgoingMessage] = deque(maxlen=self.HISTORY)

    @property
    def dead_letters(self) -> list[OutgoingMessage]:
        """The parked messages, oldest first."""
        return [parked.message for parked in self.parked]

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
                    # An outage is parked too: one consumer waiting here would hold up
                    # every event of the platform (the relay delivers in order).
                    await deliver(
                        self._container,
                        subscription,
                        envelope,
                        self._park,
                        postpone_outages=False,
                    )

    async def _park(self, message: OutgoingMessage) -> None:
        self.parked.append(Parked(message, self._clock.now()))
        count_parked(message)  # the same dead-letter count the Kafka bus keeps


class InProcessParkedLetters:
    """``ParkedLetters`` from what the in-process bus parked (kept in memory, bounded)."""

    def __init__(self, bus: InProcessBus) -> None:
        self._bus = bus

    async def newest(self, limit: int) -> list[DeadLetterView]:
        newest_first = islice(reversed(self._bus.parked), limit)
        return [dead_letter_view(parked.message, parked.at) for parked in newest_first]
