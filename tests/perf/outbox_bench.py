"""Outbox relay throughput (read pending rows, publish, mark sent) against aiokafka's
producer sending the same payloads with the same batching (send all, await all acks)."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import insert

from cmh.kernel.clock import SystemClock
from cmh.kernel.messaging.kafka import KafkaEventPublisher
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import LocalLease, OutboxRelay, OutboxWakeup
from cmh.kernel.sql.tables import outbox

EVENTS = 5000
PAYLOAD = (
    b'{"id":"e","type":"bench.happened","source":"bench","subject":"s",'
    b'"time":"2026-01-01T00:00:00Z","data":{"n":1}}'
)


async def relay_vs_raw_producer(bootstrap: str, data_dir: str) -> None:
    topic = f"bench.outbox.{uuid.uuid4().hex[:8]}"
    raw_topic = topic + ".raw"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    try:
        await (await producer.send(raw_topic, b"warmup", key=b"w"))
        started = time.perf_counter()
        futures = [
            await producer.send(raw_topic, PAYLOAD, key=f"k{n % 64}".encode())
            for n in range(EVENTS)
        ]
        await asyncio.gather(*futures)
        raw_seconds = time.perf_counter() - started
    finally:
        await producer.stop()

    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{data_dir}/outbox-bench.db"))
    await upgrade(engine, [KERNEL_MIGRATIONS])
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(
            insert(outbox),
            [
                {
                    "event_id": uuid.uuid4().hex,
                    "topic": topic,
                    "key": f"k{n % 64}",
                    "event_type": "bench.happened",
                    "payload": PAYLOAD,
                    "created_at": now,
                    "attempts": 0,
                }
                for n in range(EVENTS)
            ],
        )
    broker = KafkaBroker(bootstrap)
    await broker.connect()
    try:
        relay = OutboxRelay(
            make_session_factory(engine),
            KafkaEventPublisher(broker),
            LocalLease(),
            SystemClock(),
            OutboxWakeup(),
            batch_size=500,
        )
        started = time.perf_counter()
        sent = await relay.drain()
        relay_seconds = time.perf_counter() - started
    finally:
        await broker.stop()
        await engine.dispose()
    raw_rate, relay_rate = EVENTS / raw_seconds, sent / relay_seconds
    print(f"{'raw aiokafka producer (baseline)':<44} {raw_rate:>9.0f} events/s")
    print(f"{'outbox relay (SQLite -> Kafka, marks sent)':<44} {relay_rate:>9.0f} events/s")
    print(f"  -> relay: {relay_rate / raw_rate:.2f}x the raw producer's throughput")
