"""The bus port: what the outbox relay publishes to and what consumers subscribe with.

Two adapters implement it: FastStream on Kafka (distributed) and an in-process bus
(embedded). Business code never sees either: it records events through the unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cmh.contracts.events.base import Envelope


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    topic: str
    key: str
    payload: bytes
    headers: dict[str, str] = field(default_factory=dict)


class EventPublisher(Protocol):
    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        """Publish in order; return only once the broker has accepted every message."""


class EventHandler(Protocol):
    """Called by the kernel's consumer runner inside its unit of work, once per event."""

    async def __call__(self, event: Any, /) -> None: ...


class BatchEventHandler(Protocol):
    """Called once per batch inside one unit of work with the batch's first deliveries
    (redelivered events and repeats within the batch already left out), in order."""

    async def __call__(self, events: Sequence[Any], /) -> None: ...


@dataclass(frozen=True, slots=True)
class Subscription:
    """``consumer`` is both the consumer group and the inbox name; ``handler`` is resolved
    from the DI container in a fresh request scope for every delivery.

    With a ``batch_handler``, the Kafka adapter reads up to ``batch_size`` records at a
    time and hands them to it in one unit of work (one commit for the batch and its inbox
    claims); a batch that fails is delivered again event by event through ``handler``, so
    a poison message is still retried and parked alone. The in-process bus always
    delivers event by event."""

    topic: str
    consumer: str
    handler: type[EventHandler]
    event_types: frozenset[str] = frozenset()
    description: str = ""
    batch_handler: type[BatchEventHandler] | None = None
    batch_size: int = 200

    def wants(self, envelope: Envelope) -> bool:
        return not self.event_types or envelope.type in self.event_types


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlq"
