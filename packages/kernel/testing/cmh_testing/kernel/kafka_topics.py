"""Topics of a test's own on the real Kafka of ``infra/local``: created with the
partitions the test needs, read back from the start without a consumer group."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic


async def create_topics(bootstrap: str, *names: str, partitions: int = 1) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=1) for name in names]
        )
    finally:
        await admin.close()


async def read_topic(
    bootstrap: str, topic: str, *, at_least: int, timeout: float = 30.0
) -> list[Any]:
    """Every record of ``topic`` from its beginning, once there are ``at_least`` of them
    (or ``timeout`` seconds have passed: the test's assertions then say what is missing)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    records: list[Any] = []
    partitions = await _partitions(bootstrap, topic)
    if not partitions:
        return records
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in partitions])
        await consumer.seek_to_beginning()
        while len(records) < at_least and loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records


async def _partitions(bootstrap: str, topic: str) -> list[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [described] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return sorted(p["partition"] for p in described["partitions"])


def headers_of(record: Any) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers}
