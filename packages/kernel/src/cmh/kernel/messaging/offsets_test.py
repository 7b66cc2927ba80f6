"""Offsets are committed once records are done, together, never ahead of them; against
the real broker, what the group has committed once a subscriber handled its records."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker

from cmh.kernel.messaging.assignments import PartitionAssignments
from cmh.kernel.messaging.kafka import register_subscriptions
from cmh.kernel.messaging.offsets import PendingOffsets
from cmh.kernel.messaging.ports import Subscription
from cmh.kernel.settings import KafkaSettings
from cmh_testing.kernel.servers import kafka_bootstrap, unique_name


class RecordingConsumer(AIOKafkaConsumer):  # type: ignore[misc]  # untyped base
    """An ``AIOKafkaConsumer`` that only records what it is asked to commit."""

    def __init__(self) -> None:  # no client: nothing here reaches a broker
        self.commits: list[dict[TopicPartition, int]] = []

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(dict(offsets))


async def test_records_done_are_committed_together_after_the_interval() -> None:
    consumer = RecordingConsumer()
    pending = PendingOffsets(interval=0.05)
    for offset in (3, 4, 5):
        pending.done(consumer, "t", 0, offset)
    pending.done(consumer, "t", 1, 9)
    assert consumer.commits == []  # nothing per record
    await asyncio.sleep(0.2)
    # The next offset to read: one past the last record done, per partition.
    assert consumer.commits == [{TopicPartition("t", 0): 6, TopicPartition("t", 1): 10}]


async def test_a_revoked_partition_is_committed_at_once_and_alone() -> None:
    consumer = RecordingConsumer()
    pending = PendingOffsets(interval=60)
    pending.done(consumer, "t", 0, 7)
    pending.done(consumer, "t", 1, 2)
    await pending.flush([TopicPartition("t", 1)])
    assert consumer.commits == [{TopicPartition("t", 1): 3}]
    await pending.flush()
    assert consumer.commits[-1] == {TopicPartition("t", 0): 8}
    await pending.flush()  # nothing left to commit
    assert len(consumer.commits) == 2


async def test_an_earlier_record_done_late_never_moves_the_offset_back() -> None:
    consumer = RecordingConsumer()
    pending = PendingOffsets(interval=60)
    pending.done(consumer, "t", 0, 9)
    pending.done(consumer, "t", 0, 4)
    await pending.flush()
    assert consumer.commits == [{TopicPartition("t", 0): 10}]


class Count:
    handled = 0

    async def __call__(self, envelope: object) -> None:
        Count.handled += 1


@pytest.mark.integration
async def test_the_group_commits_what_its_subscriber_handled() -> None:
    bootstrap = kafka_bootstrap()
    topic, group = unique_name("test.offsets"), unique_name("test.offsets")
    settings = KafkaSettings(bootstrap_servers=bootstrap)
    broker = KafkaBroker(bootstrap)
    subscription = Subscription(topic=topic, consumer=group, handler=Count)
    # Not envelopes: each is parked on the dead-letter topic, which is "done" as well.
    register_subscriptions(broker, [subscription], [], PartitionAssignments(), settings)
    await broker.start()
    try:
        for n in range(5):
            await broker.publish(f"not an envelope {n}".encode(), topic=topic, key=b"k")
        committed = await _committed(bootstrap, group, TopicPartition(topic, 0), expect=5)
        assert committed == 5
    finally:
        await broker.stop()


async def _committed(bootstrap: str, group: str, partition: TopicPartition, expect: int) -> int:
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group)
    await reader.start()
    try:
        committed = 0
        for _ in range(150):  # up to 30 s: the group forms, the records are read and parked
            committed = await reader.committed(partition) or 0
            if committed >= expect:
                break
            await asyncio.sleep(0.2)
        return committed
    finally:
        await reader.stop()
