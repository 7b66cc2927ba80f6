"""HTTP -> outbox -> Kafka -> consumer -> PostgreSQL, against the same HTTP write without
the event path, both at a fixed rate (``hey -q``, pinned like wrk) for a fixed time.

One app (served by uvicorn on the servers' core) built from the kernel's providers over a
PostgreSQL database of its own: ``POST /orders`` writes an order and records an event in
the same transaction (the outbox); its relay publishes to Kafka and its consumer writes the
effect with its inbox claim. ``POST /plain-orders`` writes the order alone. The figure is
the p99 from the request's arrival to the effect's commit (both stamped by PostgreSQL's
clock), against the p99 of the plain write's HTTP answer.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

import asyncpg
from dishka import AsyncContainer, Provider, Scope, provide
from faststream.kafka import KafkaBroker
from litestar import Litestar, get, post
from sqlalchemy import Column, DateTime, MetaData, String, Table, func, insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from cmh.contracts.events.base import Envelope, IntegrationEvent
from cmh.kernel.di import (
    ClockProvider,
    KafkaProvider,
    PostgresLeaseProvider,
    SqlProvider,
)
from cmh.kernel.logging import configure_logging
from cmh.kernel.messaging.assignments import PartitionAssignments
from cmh.kernel.messaging.kafka import register_subscriptions
from cmh.kernel.messaging.ports import Subscription
from cmh.kernel.module import assemble
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.uow import UnitOfWork
from cmh_testing.kernel.servers import fresh_postgres_database
from tests.perf.pinning import LOAD_CPUS, pinned
from tests.perf.results import Row
from tests.perf.servers import serve

DATABASE_ENV = "CMH_BENCH_PIPELINE_DATABASE"
# "0": the consumer takes one message at a time (the comparison for Kafka batches).
BATCH_ENV = "CMH_BENCH_PIPELINE_BATCH"
TOPIC_ENV = "CMH_BENCH_PIPELINE_TOPIC"

metadata = MetaData()
orders = Table(
    "bench_orders",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)
effects = Table(
    "bench_effects",
    metadata,
    Column("order_id", String(40), primary_key=True),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    # The effect's commit time, stamped by the database (the batch's rows share it).
    Column(
        "recorded_at",
        DateTime(timezone=True),
        nullable=False,
        server_default=func.clock_timestamp(),
    ),
)


class OrderPlaced(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "bench.order_placed"
    TOPIC: ClassVar[str] = os.environ.get(TOPIC_ENV, "bench.orders")
    order_id: str
    requested_at: str


class PlaceOrder:
    def __init__(self, uow: UnitOfWork, session: AsyncSession) -> None:
        self._uow = uow
        self._session = session

    async def execute(self, *, with_event: bool) -> str:
        order_id = uuid.uuid4().hex
        async with self._uow:
            # The database's clock, as the effect's: one clock for both ends.
            requested = await self._session.scalar(
                insert(orders)
                .values(id=order_id, requested_at=func.clock_timestamp())
                .returning(orders.c.requested_at)
            )
            if with_event:
                event = OrderPlaced(order_id=order_id, requested_at=requested.isoformat())
                self._uow.publish(event, subject=order_id)
            await self._uow.commit()
        return order_id


class RecordEffect:
    def __init__(self, uow: UnitOfWork, session: AsyncSession) -> None:
        self._uow = uow
        self._session = session

    async def __call__(self, envelope: Envelope) -> None:
        event = envelope.decode(OrderPlaced)
        async with self._uow:
            await self._session.execute(
                insert(effects).values(
                    order_id=event.order_id,
                    requested_at=datetime.fromisoformat(event.requested_at),
                    recorded_at=func.clock_timestamp(),
                )
            )
            await self._uow.commit()


class RecordEffects:
    """The consumer as analytics' fact consumer runs: a
    Kafka batch of events in one transaction, its effects in one multi-row insert."""

    def __init__(self, uow: UnitOfWork, session: AsyncSession) -> None:
        self._uow = uow
        self._session = session

    async def __call__(self, envelopes: Sequence[Envelope]) -> None:
        placed = [envelope.decode(OrderPlaced) for envelope in envelopes]
        async with self._uow:
            await self._session.execute(
                insert(effects),
                [
                    {
                        "order_id": event.order_id,
                        "requested_at": datetime.fromisoformat(event.requested_at),
                    }
                    for event in placed
                ],
            )
            await self._uow.commit()


class PipelineProvider(Provider):
    scope = Scope.REQUEST
    place = provide(PlaceOrder)
    record = provide(RecordEffect)
    record_batch = provide(RecordEffects)


def app() -> Litestar:
    """The pipeline's app (uvicorn ``--factory``): API, relay and consumer in one process."""
    configure_logging("WARNING")
    kafka = KafkaSettings(bootstrap_servers=os.environ["CMH_TEST_KAFKA_BOOTSTRAP"])
    container = assemble(
        ClockProvider(),
        SqlProvider(),
        PostgresLeaseProvider(),
        KafkaProvider(),
        PipelineProvider(),
        context={
            DatabaseSettings: DatabaseSettings(url=os.environ[DATABASE_ENV]),
            KafkaSettings: kafka,
        },
    )
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def start() -> None:
        engine = await container.get(AsyncEngine)
        await upgrade(engine, [KERNEL_MIGRATIONS])
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        broker = await container.get(KafkaBroker)
        subscription = Subscription(
            topic=OrderPlaced.TOPIC,
            consumer="bench.effects",
            handler=RecordEffect,
            batch_handler=RecordEffects if os.environ.get(BATCH_ENV, "1") == "1" else None,
        )
        register_subscriptions(broker, [subscription], [container], PartitionAssignments(), kafka)
        await broker.start()
        tasks.append(asyncio.create_task((await container.get(OutboxRelay)).run(stop)))

    async def finish() -> None:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await container.close()

    @post("/orders", status_code=201)
    async def place() -> dict[str, str]:
        return await _place(container, with_event=True)

    @post("/plain-orders", status_code=201)
    async def place_plain() -> dict[str, str]:
        return await _place(container, with_event=False)

    @get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "up"}

    return Litestar([place, place_plain, live], on_startup=[start], on_shutdown=[finish])


async def _place(container: AsyncContainer, *, with_event: bool) -> dict[str, str]:
    async with container() as request:
        order_id = await (await request.get(PlaceOrder)).execute(with_event=with_event)
    return {"id": order_id}


def _hey(url: str, rate: int, seconds: int) -> float:
    """p99 of the HTTP answers at ``rate`` requests/s (hey: 10 workers, rate/10 each)."""
    hey = shutil.which("hey")
    if hey is None:
        raise RuntimeError("hey is not installed: `make bench` installs it (apt-get install hey)")
    args = [hey, "-z", f"{seconds}s", "-c", "10", "-q", str(rate // 10), "-m", "POST", url]
    out = subprocess.run(pinned(args, LOAD_CPUS), capture_output=True, text=True, check=True)
    codes = dict(re.findall(r"\[(\d{3})\]\s+(\d+) responses", out.stdout))
    if set(codes) != {"201"} or "Error distribution" in out.stdout:
        raise RuntimeError(f"{url}: answers other than 201\n{out.stdout}")
    p99 = re.search(r"99% in ([0-9.]+) secs", out.stdout)
    if p99 is None:
        raise RuntimeError(f"no latency distribution from hey\n{out.stdout}")
    return float(p99.group(1)) * 1000


async def _effects_p99(url: str, expected: int) -> tuple[float, int, float]:
    """(p99 from request to effect in ms, effects applied, effects applied per second
    between the first and the last)."""
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(dsn)
    try:
        for _ in range(120):  # until every event's effect is in (at most a minute)
            done = await conn.fetchval("SELECT count(*) FROM bench_effects")
            if done >= expected:
                break
            await asyncio.sleep(0.5)
        p99 = await conn.fetchval(
            "SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY "
            "extract(epoch FROM recorded_at - requested_at)) FROM bench_effects"
        )
        span = await conn.fetchval(
            "SELECT extract(epoch FROM max(recorded_at) - min(recorded_at)) FROM bench_effects"
        )
        return float(p99 or 0) * 1000, int(done), int(done) / float(span or 1)
    finally:
        await conn.close()


async def _count(url: str, sql: str) -> int:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


async def _measure(
    rate: int, seconds: int, *, batched: bool
) -> tuple[float, float, int, int, float]:
    async with fresh_postgres_database("cmh_bench") as url:
        env = {
            DATABASE_ENV: url,
            TOPIC_ENV: f"bench.orders.{uuid.uuid4().hex[:8]}",
            BATCH_ENV: "1" if batched else "0",
        }
        with serve("tests.perf.pipeline_bench:app", env=env, factory=True) as server:
            _hey(server.url + "/plain-orders", rate, 5)  # warm-up: pool, topic, group
            plain = _hey(server.url + "/plain-orders", rate, seconds)
            _hey(server.url + "/orders", rate, seconds)
            sent = await _count(url, "SELECT count(*) FROM outbox")
            e2e, done, applied = await _effects_p99(url, sent)
        return plain, e2e, sent, done, applied


def pipeline_row(rate: int = 500, seconds: int | None = None, *, batched: bool = True) -> Row:
    """``batched=False``: the consumer one message at a time, for comparison."""
    seconds = seconds or int(os.environ.get("CMH_BENCH_PIPELINE_SECONDS", "60"))
    plain, e2e, sent, done, applied = asyncio.run(_measure(rate, seconds, batched=batched))
    ratio = e2e / plain if plain else float("inf")
    print(f"  {'plain HTTP write, p99 of the answer':<46} {plain:>9.1f} ms")
    print(
        f"  {'HTTP -> outbox -> Kafka -> consumer -> PG':<46} {e2e:>9.1f} ms p99 ({done}/{sent},"
        f" {applied:.0f} effects/s applied{'' if batched else ', one message at a time'})"
    )
    return Row(
        scenario=f"HTTP -> Kafka -> consumer -> PG, {rate}/s {seconds}s",
        baseline="the same HTTP write without events",
        target="p99 <= 50 ms and <= 3x baseline p99",
        figure=(
            f"p99 {e2e:.1f} vs {plain:.1f} ms ({ratio:.1f}x), "
            f"{sent / seconds:.0f}/s served, {done}/{sent} effects, {applied:.0f}/s applied"
        ),
        holds=done == sent and e2e <= 50 and ratio <= 3,
        ratio=ratio,
        goal=3.0,
    )
