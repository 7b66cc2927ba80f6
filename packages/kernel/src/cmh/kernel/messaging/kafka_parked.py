"""``ParkedLetters`` over the distributed profile's dead-letter topics (``<topic>.dlq``):
the newest parked messages across every such topic, for the admin route.

Each partition is read from at most ``limit`` records before its end, without a consumer
group (nothing is committed: reading is not replaying, which stays ``cmh-admin dlq``'s);
the time a message was parked is its record's timestamp (set by the producer that parked
it). A broker out of reach is ``DependencyUnavailable`` (503), never an empty list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from aiokafka.structs import ConsumerRecord

from cmh.kernel.errors import DependencyUnavailable
from cmh.kernel.messaging.dead_letters import is_dead_letter_topic
from cmh.kernel.messaging.kafka_bounds import partition_bounds
from cmh.kernel.messaging.parked import DeadLetterView, dead_letter_view
from cmh.kernel.messaging.ports import OutgoingMessage

# An administrator waits this long for the broker before a 503.
TIMEOUT_SECONDS: Final = 8.0


class KafkaParkedLetters:
    def __init__(self, bootstrap: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self._bootstrap = bootstrap
        self._timeout = timeout

    async def newest(self, limit: int) -> Sequence[DeadLetterView]:
        try:
            async with asyncio.timeout(self._timeout):
                letters = await self._read_tails(limit)
        except (KafkaError, OSError, TimeoutError) as exc:
            raise DependencyUnavailable(
                f"the broker at {self._bootstrap} did not answer: {type(exc).__name__}"
            ) from exc
        # Newest first; within a millisecond, the later in its partition first.
        letters.sort(key=lambda record: (record.timestamp, record.offset), reverse=True)
        return [_view(record) for record in letters[:limit]]

    async def _read_tails(self, limit: int) -> list[ConsumerRecord[bytes, bytes]]:
        partitions = await self._dead_letter_partitions()
        if not partitions:
            return []
        consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, enable_auto_commit=False)
        await consumer.start()
        try:
            firsts, ends = await partition_bounds(consumer, partitions)
            starts = {tp: max(firsts[tp], ends[tp] - limit) for tp in partitions}
            wanted = [tp for tp in partitions if starts[tp] < ends[tp]]
            if not wanted:
                return []
            consumer.assign(wanted)
            for tp in wanted:
                consumer.seek(tp, starts[tp])
            letters: list[ConsumerRecord[bytes, bytes]] = []
            # Up to each partition's end as it was (the position says when, not a count:
            # transaction markers leave gaps).
            while any([await consumer.position(tp) < ends[tp] for tp in wanted]):
                for tp, records in (await consumer.getmany(timeout_ms=500)).items():
                    letters.extend(r for r in records if r.offset < ends[tp])
            return letters
        finally:
            await consumer.stop()

    async def _dead_letter_partitions(self) -> list[TopicPartition]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap)
        await admin.start()
        try:
            names = [t for t in await admin.list_topics() if is_dead_letter_topic(t)]
            if not names:
                return []
            described = await admin.describe_topics(names)
        finally:
            await admin.close()
        return [
            TopicPartition(topic["topic"], partition["partition"])
            for topic in described
            for partition in topic["partitions"]
        ]


def _view(record: ConsumerRecord[bytes, bytes]) -> DeadLetterView:
    message = OutgoingMessage(
        topic=record.topic,
        key=record.key.decode("utf-8", errors="replace") if record.key else "",
        payload=record.value or b"",
        headers={k: v.decode("utf-8", errors="replace") for k, v in record.headers},
    )
    return dead_letter_view(message, datetime.fromtimestamp(record.timestamp / 1000, tz=UTC))
