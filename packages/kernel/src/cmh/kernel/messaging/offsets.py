"""Kafka offsets committed a few times a second, not once per message.

A subscriber notes each record it has finished (handled, skipped as a redelivery, or
parked); the offsets noted are committed together at most ``interval`` later, and at
once for the partitions a rebalance takes away. Committing after every message cost a
round trip to the group coordinator each time, half the consumer's time. Nothing is
committed before it is done, so a crash or a lost partition only redelivers records
already handled, which their inbox claims skip: still at-least-once, exactly-once in
effect.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any, Final, Protocol

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

log = structlog.get_logger("cmh.messaging")

COMMIT_INTERVAL_SECONDS: Final = 0.2


class Committing(Protocol):
    """What of an ``AIOKafkaConsumer`` the committer uses."""

    async def commit(self, offsets: dict[TopicPartition, int]) -> None: ...


class PendingOffsets:
    def __init__(self, interval: float = COMMIT_INTERVAL_SECONDS) -> None:
        self._interval = interval
        # Per consumer: the next offset to read of each partition it finished records of.
        self._pending: dict[Committing, dict[TopicPartition, int]] = {}
        self._flushing: asyncio.Task[None] | None = None

    def done(self, consumer: Any, topic: str, partition: int, offset: int) -> None:
        """The record at ``offset`` is finished: the group may resume after it."""
        if not isinstance(consumer, AIOKafkaConsumer):
            return  # FastStream's test broker: nothing to commit to
        offsets = self._pending.setdefault(consumer, {})
        at = TopicPartition(topic, partition)
        offsets[at] = max(offsets.get(at, 0), offset + 1)
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.get_running_loop().create_task(self._flush_later())

    async def flush(self, partitions: Iterable[TopicPartition] | None = None) -> None:
        """Commits what is pending now (only ``partitions``' offsets, when given)."""
        wanted = None if partitions is None else set(partitions)
        for consumer in list(self._pending):
            offsets = self._pending[consumer]
            taken = {tp: o for tp, o in offsets.items() if wanted is None or tp in wanted}
            for tp in taken:
                del offsets[tp]
            if not offsets:
                del self._pending[consumer]
            if taken:
                await _commit(consumer, taken)

    async def _flush_later(self) -> None:
        await asyncio.sleep(self._interval)
        await self.flush()


async def _commit(consumer: Committing, offsets: dict[TopicPartition, int]) -> None:
    try:
        await consumer.commit(offsets)
    except (KafkaError, AssertionError) as exc:
        # The partition moved to another member, or the consumer is closing: its records
        # are delivered again there and skipped by their inbox claims.
        log.warning("kafka.offsets_not_committed", offsets=str(offsets), error=repr(exc))
