"""What the admin use cases need from the outside world, and the errors they report.

Kafka (reading dead-letter topics, remembering how far a replay got) and a service's
outbox table are adapters (``kafka``, ``outbox``); publishing is the kernel's
``EventPublisher``. The use cases (``dead_letters``, ``outbox_replay``) know only these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import msgspec

from cmh.kernel.messaging import dead_letters


class AdminError(Exception):
    """An operator's mistake or an unreachable server: said in one sentence, with what to
    do next, never as a traceback."""

    exit_code = 1


class UnknownTopic(AdminError):
    exit_code = 2


class NotFound(AdminError):
    exit_code = 2


class Unavailable(AdminError):
    """Kafka or the database did not answer."""


class _EnvelopeHead(msgspec.Struct):
    id: str = ""
    type: str = ""


@dataclass(frozen=True, slots=True)
class ParkedMessage:
    """One record of a dead-letter topic."""

    topic: str
    partition: int
    offset: int
    key: str
    payload: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return self.headers.get(dead_letters.REASON, "")

    @property
    def consumer(self) -> str:
        return self.headers.get(dead_letters.CONSUMER, "")

    @property
    def attempts(self) -> str:
        return self.headers.get(dead_letters.ATTEMPTS, "")

    @property
    def original_topic(self) -> str:
        return dead_letters.original_topic(self.topic, self.headers)

    @property
    def original_headers(self) -> dict[str, str]:
        return dead_letters.original_headers(self.headers)

    @property
    def event_type(self) -> str:
        return self.headers.get("ce_type") or self._head().type

    @property
    def event_id(self) -> str:
        return self.headers.get("ce_id") or self._head().id

    @property
    def position(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"

    def _head(self) -> _EnvelopeHead:
        try:
            return msgspec.json.decode(self.payload, type=_EnvelopeHead)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return _EnvelopeHead()  # an unreadable message: parked as it came


class DeadLetterStore(Protocol):
    async def dead_letter_topics(self) -> dict[str, int]:
        """Every dead-letter topic with the number of messages it holds."""

    async def read(
        self, topic: str, start: Mapping[int, int] | None = None
    ) -> Sequence[ParkedMessage]:
        """The topic's messages from ``start`` (next offset per partition; the beginning
        where missing) up to its end now. Raises ``UnknownTopic``."""

    async def ends(self, topic: str) -> dict[int, int]:
        """The next offset of each partition (where a reader that read all would be)."""

    async def cursor(self, topic: str) -> dict[int, int]:
        """How far replays of ``topic`` got: the next offset per partition."""

    async def advance(self, topic: str, positions: Mapping[int, int]) -> None:
        """Remember that replays of ``topic`` got up to ``positions``."""


@dataclass(frozen=True, slots=True)
class OutboxRow:
    seq: int
    event_id: str
    topic: str
    key: str
    event_type: str
    payload: bytes
    published: bool


class OutboxRows(Protocol):
    async def count(self, first: int, last: int) -> int:
        """How many rows have a seq in [first, last]."""

    async def read(self, first: int, last: int, limit: int) -> Sequence[OutboxRow]:
        """Up to ``limit`` rows with a seq in [first, last], in seq order."""
