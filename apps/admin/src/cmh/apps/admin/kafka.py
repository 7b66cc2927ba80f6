"""The dead-letter topics on Kafka (aiokafka), and the publisher replays go through
(the kernel's ``KafkaEventPublisher``: every in-sync replica acknowledges, the producer's
retries never duplicate).

How far ``dlq replay --all`` got is the committed offset of a consumer group of the
admin's own (``cmh-admin.replay`` by default) on each dead-letter partition: Kafka keeps
it, so every operator's machine sees the same position."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Final

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from aiokafka.structs import OffsetAndMetadata
from faststream.kafka import KafkaBroker

from cmh.apps.admin.ports import ParkedMessage, Unavailable, UnknownTopic
from cmh.kernel.messaging import dead_letters
from cmh.kernel.messaging.kafka import (
    PRODUCER_ACKS,
    PRODUCER_IDEMPOTENCE,
    KafkaEventPublisher,
)
from cmh.kernel.messaging.kafka_bounds import partition_bounds
from cmh.kernel.messaging.ports import OutgoingMessage

REPLAY_GROUP: Final = "cmh-admin.replay"
# An operator waits this long for an absent broker before being told so.
TIMEOUT_MS: Final = 8_000
_UNKNOWN_TOPIC: Final = 3  # UNKNOWN_TOPIC_OR_PARTITION


def _unavailable(bootstrap: str, exc: BaseException) -> Unavailable:
    return Unavailable(
        f"Kafka at {bootstrap} did not answer ({type(exc).__name__}): is it running "
        f"(`make infra-up`)? Point --bootstrap (or CMH_KAFKA__BOOTSTRAP_SERVERS) at it"
    )


@contextlib.asynccontextmanager
async def _reaching(bootstrap: str) -> AsyncIterator[None]:
    try:
        yield
    except (KafkaConnectionError, KafkaTimeoutError, OSError, TimeoutError) as exc:
        raise _unavailable(bootstrap, exc) from exc
    except KafkaError as exc:
        raise Unavailable(f"Kafka at {bootstrap} refused the request: {exc!r}") from exc


class KafkaDeadLetters:
    def __init__(self, bootstrap: str, replay_group: str = REPLAY_GROUP) -> None:
        self._bootstrap = bootstrap
        self._group = replay_group

    @contextlib.asynccontextmanager
    async def _admin(self) -> AsyncIterator[AIOKafkaAdminClient]:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self._bootstrap, request_timeout_ms=TIMEOUT_MS
        )
        async with _reaching(self._bootstrap):
            await asyncio.wait_for(admin.start(), TIMEOUT_MS / 1000)
            try:
                yield admin
            finally:
                await admin.close()

    @contextlib.asynccontextmanager
    async def _consumer(self, group: str | None = None) -> AsyncIterator[AIOKafkaConsumer]:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            group_id=group,
            enable_auto_commit=False,
            request_timeout_ms=TIMEOUT_MS,
        )
        async with _reaching(self._bootstrap):
            await asyncio.wait_for(consumer.start(), TIMEOUT_MS / 1000)
            try:
                yield consumer
            finally:
                await consumer.stop()

    async def _partitions(self, topics: Sequence[str]) -> dict[str, list[TopicPartition]]:
        if not topics:
            return {}
        async with self._admin() as admin:
            described = await admin.describe_topics(list(topics))
        found: dict[str, list[TopicPartition]] = {}
        for topic in described:
            if topic["error_code"] == _UNKNOWN_TOPIC:
                continue
            found[topic["topic"]] = [
                TopicPartition(topic["topic"], p["partition"])
                for p in sorted(topic["partitions"], key=lambda p: p["partition"])
            ]
        return found

    async def _topic(self, topic: str) -> list[TopicPartition]:
        partitions = (await self._partitions([topic])).get(topic)
        if not partitions:
            raise UnknownTopic(f"no topic {topic}: `cmh-admin dlq list` shows the ones there are")
        return partitions

    async def dead_letter_topics(self) -> dict[str, int]:
        async with self._admin() as admin:
            names = [t for t in await admin.list_topics() if dead_letters.is_dead_letter_topic(t)]
        partitions = [tp for tps in (await self._partitions(names)).values() for tp in tps]
        counts = dict.fromkeys(names, 0)
        if not partitions:
            return counts
        async with self._consumer() as consumer:
            first, ends = await partition_bounds(consumer, partitions)
        for tp in partitions:
            counts[tp.topic] += ends[tp] - first[tp]
        return counts

    async def ends(self, topic: str) -> dict[int, int]:
        partitions = await self._topic(topic)
        async with self._consumer() as consumer:
            ends = await consumer.end_offsets(partitions)
        return {tp.partition: offset for tp, offset in ends.items()}

    async def read(
        self, topic: str, start: Mapping[int, int] | None = None
    ) -> Sequence[ParkedMessage]:
        partitions = await self._topic(topic)
        start = start or {}
        parked: list[ParkedMessage] = []
        async with self._consumer() as consumer:
            first, ends = await partition_bounds(consumer, partitions)
            wanted = {
                tp: max(start.get(tp.partition, 0), first[tp])
                for tp in partitions
                if max(start.get(tp.partition, 0), first[tp]) < ends[tp]
            }
            if not wanted:
                return parked
            consumer.assign(list(wanted))
            for tp, offset in wanted.items():
                consumer.seek(tp, offset)
            remaining = set(wanted)
            idle = 0
            # Up to each partition's end as it was at the start (transaction markers and
            # compaction leave gaps: the position, not a count, says when to stop).
            while remaining and idle < 5:
                batch = await consumer.getmany(*remaining, timeout_ms=1_000)
                idle = 0 if any(batch.values()) else idle + 1
                for tp, records in batch.items():
                    parked.extend(_parked(r) for r in records if r.offset < ends[tp])
                for tp in list(remaining):
                    if await consumer.position(tp) >= ends[tp]:
                        remaining.discard(tp)
        return sorted(parked, key=lambda m: (m.partition, m.offset))

    async def cursor(self, topic: str) -> dict[int, int]:
        partitions = await self._topic(topic)
        async with self._consumer(self._group) as consumer:
            committed = {tp: await consumer.committed(tp) for tp in partitions}
        return {tp.partition: offset for tp, offset in committed.items() if offset is not None}

    async def advance(self, topic: str, positions: Mapping[int, int]) -> None:
        if not positions:
            return
        offsets = {
            TopicPartition(topic, partition): OffsetAndMetadata(offset, "")
            for partition, offset in positions.items()
        }
        async with self._consumer(self._group) as consumer:
            consumer.assign(list(offsets))  # a commit names assigned partitions only
            await consumer.commit(offsets)


def _parked(record: Any) -> ParkedMessage:
    return ParkedMessage(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key.decode(errors="replace") if record.key else "",
        payload=record.value or b"",
        headers={k: v.decode(errors="replace") for k, v in record.headers},
    )


class KafkaReplayPublisher:
    """The kernel's publisher over a broker connected for the replay's duration."""

    def __init__(self, bootstrap: str) -> None:
        self._bootstrap = bootstrap
        self._broker: KafkaBroker | None = None

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        async with _reaching(self._bootstrap):
            if self._broker is None:
                broker = KafkaBroker(
                    self._bootstrap,
                    client_id="cmh-admin",
                    acks=PRODUCER_ACKS,
                    enable_idempotence=PRODUCER_IDEMPOTENCE,
                    request_timeout_ms=TIMEOUT_MS,
                    log_level=logging.DEBUG,
                )
                await asyncio.wait_for(broker.connect(), TIMEOUT_MS / 1000)
                self._broker = broker
            await asyncio.wait_for(
                KafkaEventPublisher(self._broker).publish(messages), TIMEOUT_MS / 1000 * 4
            )

    async def close(self) -> None:
        if self._broker is not None:
            await self._broker.stop()
            self._broker = None
