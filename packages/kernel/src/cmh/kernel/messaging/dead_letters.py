"""What a dead letter carries, in one place: the consumers that park a message and the
admin tooling that lists and replays parked messages read the same headers.

A dead letter on ``<topic>.dlq`` keeps the original message whole: its key, its payload
and every original header (``ce_id``, ``ce_type``, trace context ...), plus ``x-dlq-*``
headers saying why it was parked, by which consumer, from which topic, after how many
attempts. A replay strips the ``x-dlq-*`` headers and republishes the rest unchanged, so
the consumers' inbox recognises the event by its id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from prometheus_client import Counter

from cmh.kernel.messaging.ports import OutgoingMessage, dead_letter_topic

DLQ_SUFFIX: Final = ".dlq"
DLQ_HEADER_PREFIX: Final = "x-dlq-"
REASON: Final = "x-dlq-reason"
CONSUMER: Final = "x-dlq-consumer"
ORIGINAL_TOPIC: Final = "x-dlq-topic"
ATTEMPTS: Final = "x-dlq-attempts"
# Set on a message published again by an operator (``dlq`` or ``outbox``) and where from.
REPLAY: Final = "x-replay"
REPLAY_OF: Final = "x-replay-of"
REASON_LIMIT: Final = 500


PARKED = Counter(
    "cmh_dead_letters_total",
    "Messages this process parked on a dead-letter topic, by original topic and consumer",
    ["topic", "consumer"],
)


def count_parked(message: OutgoingMessage) -> None:
    """Counts a dead letter once it is on its topic (the DLQ's growth, for the alerts)."""
    PARKED.labels(message.headers.get(ORIGINAL_TOPIC, ""), message.headers.get(CONSUMER, "")).inc()


def dead_letter(
    *,
    topic: str,
    consumer: str,
    key: str,
    payload: bytes,
    reason: str,
    attempts: int,
    headers: Mapping[str, str] | None = None,
) -> OutgoingMessage:
    """The message that parks ``payload`` (received on ``topic``) on ``<topic>.dlq``."""
    return OutgoingMessage(
        topic=dead_letter_topic(topic),
        key=key,
        payload=payload,
        headers={
            **original_headers(headers or {}),
            REASON: reason[:REASON_LIMIT],
            CONSUMER: consumer,
            ORIGINAL_TOPIC: topic,
            ATTEMPTS: str(attempts),
        },
    )


def original_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers the message had before it was parked (or replayed)."""
    return {
        k: v
        for k, v in headers.items()
        if not k.startswith(DLQ_HEADER_PREFIX) and k not in (REPLAY, REPLAY_OF)
    }


def is_dead_letter_topic(topic: str) -> bool:
    return topic.endswith(DLQ_SUFFIX) and len(topic) > len(DLQ_SUFFIX)


def original_topic(dlq_topic: str, headers: Mapping[str, str] | None = None) -> str:
    """Where a dead letter came from: its header, else its topic's name without ``.dlq``."""
    if headers and headers.get(ORIGINAL_TOPIC):
        return headers[ORIGINAL_TOPIC]
    return dlq_topic.removesuffix(DLQ_SUFFIX)
