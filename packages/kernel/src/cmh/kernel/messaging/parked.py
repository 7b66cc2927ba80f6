"""Dead letters for administrators to read: the messages a consumer parked after its
retries, newest first, each with why, by which consumer, from which topic.

``ParkedLetters`` is the port; the embedded profile's adapter reads what the in-process
bus parked (``inprocess.InProcessParkedLetters``), the distributed profile's the tails of
the ``<topic>.dlq`` Kafka topics (``kafka_parked.KafkaParkedLetters``; replaying them is
the ``cmh-admin dlq`` tooling's).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden, InvalidInput
from cmh.kernel.messaging import dead_letters
from cmh.kernel.messaging.ports import OutgoingMessage

MAX_LIMIT = 500
EXCERPT = 300  # characters of the payload shown


class _EnvelopeHead(msgspec.Struct):
    id: str = ""
    type: str = ""


class DeadLetterView(msgspec.Struct, frozen=True):
    topic: str  # where it was published (not the .dlq topic)
    consumer: str
    event_id: str
    event_type: str
    key: str
    reason: str
    attempts: int
    parked_at: datetime
    payload_excerpt: str


def dead_letter_view(message: OutgoingMessage, parked_at: datetime) -> DeadLetterView:
    """What an administrator sees of a parked message (its ``x-dlq-*`` headers say why)."""
    headers = message.headers
    try:
        head = msgspec.json.decode(message.payload, type=_EnvelopeHead)
    except msgspec.DecodeError:
        head = _EnvelopeHead()
    text = message.payload.decode("utf-8", errors="replace")
    attempts = headers.get(dead_letters.ATTEMPTS, "0")
    return DeadLetterView(
        topic=dead_letters.original_topic(message.topic, headers),
        consumer=headers.get(dead_letters.CONSUMER, ""),
        event_id=headers.get("ce_id") or head.id,
        event_type=headers.get("ce_type") or head.type,
        key=message.key,
        reason=headers.get(dead_letters.REASON, ""),
        attempts=int(attempts) if attempts.isdigit() else 0,
        parked_at=parked_at,
        payload_excerpt=text if len(text) <= EXCERPT else f"{text[:EXCERPT]}…",
    )


class ParkedLetters(Protocol):
    async def newest(self, limit: int) -> Sequence[DeadLetterView]:
        """At most ``limit`` parked messages, the most recently parked first."""


class ListDeadLetters:
    """Administrators list what the consumers parked."""

    def __init__(self, letters: ParkedLetters) -> None:
        self._letters = letters

    async def execute(self, caller: Principal, *, limit: int = 100) -> Sequence[DeadLetterView]:
        if not caller.is_admin:
            raise Forbidden("only administrators may do this", code="admin_only")
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"between 1 and {MAX_LIMIT}", field="limit")
        return await self._letters.newest(limit)
