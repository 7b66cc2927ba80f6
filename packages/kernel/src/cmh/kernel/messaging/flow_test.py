"""Outbox -> bus -> idempotent consumer, on SQLite with the in-process bus (always) and
on PostgreSQL with real Kafka (integration): a redelivered event produces one effect."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import pytest
from dishka import AsyncContainer, Provider, Scope, provide
from faststream.kafka import KafkaBroker
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from cmh.contracts.events.base import Envelope, IntegrationEvent, decode_envelope
from cmh.kernel.clock import FrozenClock
from cmh.kernel.di import (
    ClockProvider,
    InProcessBusProvider,
    KafkaProvider,
    LocalLeaseProvider,
    PostgresLeaseProvider,
    SqlProvider,
)
from cmh.kernel.messaging import delivery
from cmh.kernel.messaging.assignments import PartitionAssignments
from cmh.kernel.messaging.dead_letters import PARKED
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.kafka import register_subscriptions
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription
from cmh.kernel.module import assemble
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.sql.tables import outbox
from cmh.kernel.uow import UnitOfWork
from cmh_testing.kernel.servers import fresh_postgres_database, kafka_bootstrap, unique_name

effects_metadata = MetaData()
effects = Table(
    "test_effects",
    effects_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(64), nullable=False),
)


class OrderPlacedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "test.order_placed"
    TOPIC: ClassVar[str] = "test.orders"
    order_id: str


class PlaceOrder:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, order_id: str, *, fail: bool = False) -> None:
        async with self._uow:
            self._uow.publish(OrderPlacedV1(order_id=order_id), subject=order_id)
            if fail:
                raise RuntimeError("the use case failed before commit")
            await self._uow.commit()


class RecordEffect:
    """The consumer: one row per order, however often the event arrives (the kernel's
    runner claims each event in the inbox in the same transaction)."""

    def __init__(self, uow: UnitOfWork, session: AsyncSession) -> None:
        self._uow = uow
        self._session = session

    async def __call__(self, envelope: Envelope) -> None:
        event = envelope.decode(OrderPlacedV1)
        async with self._uow:
            await self._session.execute(insert(effects).values(order_id=event.order_id))
            await self._uow.commit()


class RecordEffectAfterOutage(RecordEffect):
    """The consumer while its database is away: the first ``outages`` tries meet a refused
    connection, as during a PostgreSQL restart."""

    outages: ClassVar[int] = 0

    async def __call__(self, envelope: Envelope) -> None:
        if RecordEffectAfterOutage.outages > 0:
            RecordEffectAfterOutage.outages -= 1
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        await super().__call__(envelope)


class FlowProvider(Provider):
    scope = Scope.REQUEST
    place = provide(PlaceOrder)
    record = provide(RecordEffect)
    record_after_outage = provide(RecordEffectAfterOutage)


async def _migrate(container: AsyncContainer) -> AsyncEngine:
    engine = await container.get(AsyncEngine)
    await upgrade(engine, [KERNEL_MIGRATIONS])
    async with engine.begin() as conn:
        await conn.run_sync(effects_metadata.create_all)
    return engine


async def _count(engine: AsyncEngine, table: Table) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)) or 0)


def _subscription(topic: str = OrderPlacedV1.TOPIC) -> Subscription:
    return Subscription(topic=topic, consumer="test.effects", handler=RecordEffect)


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[tuple[AsyncContainer, InProcessBus]]:
    bus = InProcessBus([_subscription()])
    container = assemble(
        ClockProvider(),
        SqlProvider(),
        LocalLeaseProvider(),
        InProcessBusProvider(),
        FlowProvider(),
        context={
            DatabaseSettings: DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/flow.db"),
            InProcessBus: bus,
        },
    )
    bus.bind(container)
    await _migrate(container)
    yield container, bus
    await container.close()


async def _place(container: AsyncContainer, order_id: str, *, fail: bool = False) -> None:
    async with container() as request:
        await (await request.get(PlaceOrder))(order_id, fail=fail)


async def test_events_leave_only_when_the_transaction_commits(
    embedded: tuple[AsyncContainer, InProcessBus],
) -> None:
    container, _bus = embedded
    engine = await container.get(AsyncEngine)
    with pytest.raises(RuntimeError):
        await _place(container, "o-1", fail=True)
    assert await _count(engine, outbox) == 0
    await _place(container, "o-2")
    assert await _count(engine, outbox) == 1


async def test_relay_delivers_once_and_a_redelivery_changes_nothing(
    embedded: tuple[AsyncContainer, InProcessBus],
) -> None:
    container, bus = embedded
    engine = await container.get(AsyncEngine)
    for n in range(3):
        await _place(container, f"o-{n}")
    relay = await container.get(OutboxRelay)
    assert await relay.drain() == 3
    assert await relay.drain() == 0  # marked sent: nothing goes twice
    assert await _count(engine, effects) == 3
    # The broker redelivers everything (a consumer crashed before committing its offset).
    await bus.publish(list(bus.published))
    assert await _count(engine, effects) == 3
    assert not bus.dead_letters


async def test_a_poison_message_is_dead_lettered_and_does_not_block(
    embedded: tuple[AsyncContainer, InProcessBus],
) -> None:
    container, bus = embedded
    engine = await container.get(AsyncEngine)
    await _place(container, "o-1")
    relay = await container.get(OutboxRelay)
    await relay.drain()
    good = bus.published[0]
    poison_envelope = decode_envelope(good.payload)
    poison = OutgoingMessage(
        topic=good.topic,
        key="x",
        payload=good.payload.replace(b'"order_id"', b'"order_ref"').replace(
            poison_envelope.id.encode(), b"poison-1"
        ),
    )
    counted = PARKED.labels("test.orders", _subscription().consumer)
    before = counted._value.get()
    await bus.publish([poison])
    await _place(container, "o-2")
    await relay.drain()
    assert len(bus.dead_letters) == 1
    assert bus.dead_letters[0].topic == "test.orders.dlq"
    assert "x-dlq-reason" in bus.dead_letters[0].headers
    assert counted._value.get() == before + 1  # counted as the Kafka bus counts it
    assert await _count(engine, effects) == 2


async def test_broker_down_keeps_the_rows_for_later(
    embedded: tuple[AsyncContainer, InProcessBus],
) -> None:
    container, _bus = embedded
    engine = await container.get(AsyncEngine)
    await _place(container, "o-1")

    class DownBroker:
        async def publish(self, messages: object) -> None:
            raise ConnectionError("broker is down")

    sessions = await container.get(OutboxRelay)
    broken = OutboxRelay(
        sessions._sessions, DownBroker(), sessions._lease, FrozenClock(), sessions._wakeup
    )
    with pytest.raises(ConnectionError):
        await broken.run_once()
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(outbox.c.published_at, outbox.c.attempts, outbox.c.last_error)
            )
        ).one()
    assert row.published_at is None
    assert row.attempts == 1
    assert "broker is down" in row.last_error
    assert await (await container.get(OutboxRelay)).drain() == 1


async def test_the_in_process_bus_parks_an_outage_rather_than_hold_up_every_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "OUTAGE_PAUSE_SECONDS", 0.0)
    subscription = Subscription(
        topic=OrderPlacedV1.TOPIC, consumer="test.effects", handler=RecordEffectAfterOutage
    )
    bus = InProcessBus([subscription])
    container = assemble(
        ClockProvider(),
        SqlProvider(),
        LocalLeaseProvider(),
        InProcessBusProvider(),
        FlowProvider(),
        context={
            DatabaseSettings: DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/flow.db"),
            InProcessBus: bus,
        },
    )
    bus.bind(container)
    try:
        engine = await _migrate(container)
        await _place(container, "o-1")
        await _place(container, "o-2")
        relay = await container.get(OutboxRelay)
        RecordEffectAfterOutage.outages = 3  # every try of the first event
        assert await relay.drain() == 2  # the second is not held up behind the first
        assert len(bus.dead_letters) == 1
        assert await _count(engine, effects) == 1
    finally:
        RecordEffectAfterOutage.outages = 0
        await container.close()


@pytest.mark.integration
@pytest.mark.parametrize("outages", [0, 5], ids=["steady", "after_a_database_outage"])
async def test_outbox_to_real_kafka_to_consumer_exactly_one_effect(
    outages: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With outages, the consumer's first tries meet a refused connection, more of them than
    # one delivery retries: the worker reads the event again from Kafka rather than park it.
    monkeypatch.setattr(delivery, "OUTAGE_PAUSE_SECONDS", 0.1)
    bootstrap = kafka_bootstrap()
    topic = unique_name("test.orders")
    subscription = Subscription(
        topic=topic, consumer=unique_name("test.effects"), handler=RecordEffectAfterOutage
    )
    parked = PARKED.labels(topic, subscription.consumer)

    class TopicOrderPlaced(OrderPlacedV1, frozen=True, kw_only=True):
        TOPIC: ClassVar[str] = topic

    class PlaceOnTopic(PlaceOrder):
        async def __call__(self, order_id: str, *, fail: bool = False) -> None:
            async with self._uow:
                self._uow.publish(TopicOrderPlaced(order_id=order_id), subject=order_id)
                await self._uow.commit()

    class KafkaFlowProvider(Provider):
        scope = Scope.REQUEST
        place = provide(PlaceOnTopic, provides=PlaceOrder)
        record = provide(RecordEffectAfterOutage)

    async with fresh_postgres_database() as url:
        container = assemble(
            ClockProvider(),
            SqlProvider(),
            PostgresLeaseProvider(),
            KafkaProvider(),
            KafkaFlowProvider(),
            context={
                DatabaseSettings: DatabaseSettings(url=url),
                KafkaSettings: KafkaSettings(bootstrap_servers=bootstrap),
            },
        )
        try:
            engine = await _migrate(container)
            broker = await container.get(KafkaBroker)
            register_subscriptions(
                broker,
                [subscription],
                [container],
                PartitionAssignments(),
                KafkaSettings(bootstrap_servers=bootstrap),
            )
            await broker.start()
            RecordEffectAfterOutage.outages = outages
            for n in range(5):
                await _place(container, f"o-{n}")
            # Two relays, as two worker instances would run: the lease lets one publish.
            relay = await container.get(OutboxRelay)
            results = await asyncio.gather(relay.run_once(), relay.run_once())
            assert sum(results) + await relay.drain() == 5
            # Redeliver the same five envelopes straight to the topic, as Kafka would
            # after a consumer crash before its offset commit.
            async with engine.connect() as conn:
                payloads = (await conn.execute(select(outbox.c.key, outbox.c.payload))).all()
            for key, payload in payloads:
                await broker.publish(payload, topic=topic, key=key.encode())
            deadline = asyncio.get_running_loop().time() + float(
                os.environ.get("CMH_TEST_KAFKA_WAIT", "60")
            )
            while asyncio.get_running_loop().time() < deadline:
                if await _count(engine, effects) >= 5:
                    await asyncio.sleep(2.0)  # give the redeliveries time to (not) add rows
                    break
                await asyncio.sleep(0.2)
            assert await _count(engine, effects) == 5
            assert RecordEffectAfterOutage.outages == 0
            assert parked._value.get() == 0  # nothing was taken for poison
        finally:
            RecordEffectAfterOutage.outages = 0
            await container.close()
