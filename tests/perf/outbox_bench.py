"""Outbox relay throughput (lease, read pending rows, publish, mark sent) against aiokafka's
producer sending the same payloads, keys and headers with the same producer settings
(acks=all, idempotent; send all, await all acknowledgements).

The relay is the workers' own: built by the kernel's providers (``SqlProvider``,
``PostgresLeaseProvider``, ``KafkaProvider``) over a PostgreSQL database of its own, so
nobody else's outbox rows are touched."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.di import (
    ClockProvider,
    KafkaProvider,
    PostgresLeaseProvider,
    SqlProvider,
)
from cmh.kernel.messaging.kafka import PRODUCER_ACKS, PRODUCER_IDEMPOTENCE
from cmh.kernel.module import assemble
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.sql.tables import outbox
from cmh_testing.kernel.servers import fresh_postgres_database
from tests.perf.pinning import pin_this_process
from tests.perf.results import Row

EVENTS = 5000
PAYLOAD = (
    b'{"id":"e","type":"bench.happened","source":"bench","subject":"s",'
    b'"time":"2026-01-01T00:00:00Z","data":{"n":1}}'
)


def _key(n: int) -> str:
    return f"k{n % 64}"


def _headers(n: int) -> list[tuple[str, bytes]]:
    return [("ce_type", b"bench.happened"), ("ce_id", f"e-{n}".encode())]


async def raw_producer(kafka: KafkaSettings, topic: str) -> float:
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers,
        acks=PRODUCER_ACKS,
        enable_idempotence=PRODUCER_IDEMPOTENCE,
    )
    await producer.start()
    try:
        await (await producer.send(topic, b"warmup", key=b"w"))
        started = time.perf_counter()
        futures = [
            await producer.send(topic, PAYLOAD, key=_key(n).encode(), headers=_headers(n))
            for n in range(EVENTS)
        ]
        await asyncio.gather(*futures)
        return EVENTS / (time.perf_counter() - started)
    finally:
        await producer.stop()


async def _fill(engine: AsyncEngine, topic: str) -> None:
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(
            insert(outbox),
            [
                {
                    "event_id": f"e-{n}",
                    "topic": topic,
                    "key": _key(n),
                    "event_type": "bench.happened",
                    "payload": PAYLOAD,
                    "created_at": now,
                    "attempts": 0,
                }
                for n in range(EVENTS)
            ],
        )


async def relay(kafka: KafkaSettings, database_url: str, topic: str) -> float:
    container = assemble(
        ClockProvider(),
        SqlProvider(),
        PostgresLeaseProvider(),
        KafkaProvider(),
        context={
            DatabaseSettings: DatabaseSettings(url=database_url),
            KafkaSettings: kafka,
        },
    )
    try:
        engine = await container.get(AsyncEngine)
        await upgrade(engine, [KERNEL_MIGRATIONS])
        await _fill(engine, topic)
        broker = await container.get(KafkaBroker)
        await broker.connect()
        the_relay = await container.get(OutboxRelay)
        started = time.perf_counter()
        sent = await the_relay.drain()
        seconds = time.perf_counter() - started
        if sent != EVENTS:
            raise RuntimeError(f"the relay sent {sent} of {EVENTS} events")
        return sent / seconds
    finally:
        await container.close()


async def _measure(bootstrap: str, rounds: int) -> tuple[float, float]:
    kafka = KafkaSettings(bootstrap_servers=bootstrap, client_id="cmh-bench")
    raws, relays = [], []
    for _ in range(rounds):
        topic = f"bench.outbox.{uuid.uuid4().hex[:8]}"
        raws.append(await raw_producer(kafka, topic + ".raw"))
        async with fresh_postgres_database("cmh_bench") as url:
            relays.append(await relay(kafka, url, topic))
    return sorted(raws)[len(raws) // 2], sorted(relays)[len(relays) // 2]


def outbox_row(bootstrap: str, rounds: int) -> Row:
    pin_this_process()
    raw, relayed = asyncio.run(_measure(bootstrap, rounds))
    ratio = relayed / raw
    print(f"  {'raw aiokafka producer':<46} {raw:>9.0f} events/s")
    print(f"  {'outbox relay (PostgreSQL -> Kafka)':<46} {relayed:>9.0f} events/s")
    return Row(
        scenario="outbox relay -> Kafka",
        baseline="raw aiokafka producer, same settings",
        target=">= 0.80x events/s",
        figure=f"{ratio:.2f}x events/s ({relayed:.0f} vs {raw:.0f})",
        holds=ratio >= 0.8,
        ratio=ratio,
        goal=0.8,
        runs=[{"name": "relay", "events_per_s": relayed}, {"name": "raw", "events_per_s": raw}],
    )
