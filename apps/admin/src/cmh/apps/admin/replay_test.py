"""Dead letters and replay on real Kafka and PostgreSQL: a consumer parks what it cannot
handle; after the fix, replays (of the dead letter and of the outbox) reach it through
the kernel's ``deliver`` and its inbox: however often an event is replayed, one effect."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import ClassVar

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from dishka import AsyncContainer, Provider, Scope, provide
from faststream.kafka import KafkaBroker
from sqlalchemy import Column, Integer, MetaData, String, Table, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from cmh.apps.admin.dead_letters import DeadLetterAdmin
from cmh.apps.admin.kafka import KafkaDeadLetters, KafkaReplayPublisher
from cmh.apps.admin.outbox import SqlOutboxRows
from cmh.apps.admin.outbox_replay import ReplayOutboxRange
from cmh.apps.admin.ports import NotFound, UnknownTopic
from cmh.contracts.events.base import Envelope, IntegrationEvent
from cmh.kernel.di import ClockProvider, KafkaProvider, PostgresLeaseProvider, SqlProvider
from cmh.kernel.messaging import dead_letters
from cmh.kernel.messaging.assignments import PartitionAssignments
from cmh.kernel.messaging.kafka import register_subscriptions
from cmh.kernel.messaging.ports import Subscription, dead_letter_topic
from cmh.kernel.module import assemble
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.sql.tables import inbox, outbox
from cmh.kernel.uow import UnitOfWork
from cmh_testing.kernel.kafka_topics import create_topics, headers_of, read_topic
from cmh_testing.kernel.servers import fresh_postgres_database, kafka_bootstrap, unique_name

pytestmark = pytest.mark.integration

effects_metadata = MetaData()
effects = Table(
    "admin_test_effects",
    effects_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(64), nullable=False),
)
TOPIC = unique_name("test.admin_orders")
CONSUMER = unique_name("test.admin_effects")


class OrderPlacedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "test.admin_order_placed"
    TOPIC: ClassVar[str] = TOPIC
    order_id: str


class PlaceOrder:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, order_id: str) -> None:
        async with self._uow:
            self._uow.publish(OrderPlacedV1(order_id=order_id), subject=order_id)
            await self._uow.commit()


class RecordEffect:
    """One row per order; fails while ``broken`` (the bug an operator fixes)."""

    broken: ClassVar[bool] = True

    def __init__(self, uow: UnitOfWork, session: AsyncSession) -> None:
        self._uow = uow
        self._session = session

    async def __call__(self, envelope: Envelope) -> None:
        if RecordEffect.broken:
            raise RuntimeError("the projection is broken")
        event = envelope.decode(OrderPlacedV1)
        async with self._uow:
            await self._session.execute(insert(effects).values(order_id=event.order_id))
            await self._uow.commit()


class Orders(Provider):
    scope = Scope.REQUEST
    place = provide(PlaceOrder)
    record = provide(RecordEffect)


@pytest.fixture
async def platform() -> AsyncIterator[tuple[AsyncContainer, AsyncEngine, str]]:
    bootstrap = kafka_bootstrap()
    await create_topics(bootstrap, TOPIC, dead_letter_topic(TOPIC))
    RecordEffect.broken = True
    settings = KafkaSettings(bootstrap_servers=bootstrap)
    async with fresh_postgres_database("cmh_admin") as url:
        container = assemble(
            ClockProvider(),
            SqlProvider(),
            PostgresLeaseProvider(),
            KafkaProvider(),
            Orders(),
            context={DatabaseSettings: DatabaseSettings(url=url), KafkaSettings: settings},
        )
        try:
            engine = await container.get(AsyncEngine)
            await upgrade(engine, [KERNEL_MIGRATIONS])
            async with engine.begin() as conn:
                await conn.run_sync(effects_metadata.create_all)
            broker = await container.get(KafkaBroker)
            subscription = Subscription(topic=TOPIC, consumer=CONSUMER, handler=RecordEffect)
            register_subscriptions(
                broker, [subscription], [container], PartitionAssignments(), settings
            )
            await broker.start()
            yield container, engine, bootstrap
        finally:
            await container.close()


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(effects)) or 0)


async def _consumed(bootstrap: str) -> None:
    """Until the consumer group has committed everything on the topic (all handled)."""
    tp = TopicPartition(TOPIC, 0)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=CONSUMER)
    await consumer.start()
    try:
        for _ in range(300):
            end = (await consumer.end_offsets([tp]))[tp]
            if (await consumer.committed(tp) or 0) >= end:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{CONSUMER} did not consume {TOPIC} in 30 s")
    finally:
        await consumer.stop()


async def test_parked_then_fixed_then_replayed_twice_has_one_effect(
    platform: tuple[AsyncContainer, AsyncEngine, str],
) -> None:
    container, engine, bootstrap = platform
    async with container() as request:
        await (await request.get(PlaceOrder))("o-1")
    assert await (await container.get(OutboxRelay)).drain() == 1
    dlq = dead_letter_topic(TOPIC)
    [parked_record] = await read_topic(bootstrap, dlq, at_least=1)
    await _consumed(bootstrap)
    assert await _count(engine) == 0

    publisher = KafkaReplayPublisher(bootstrap)
    admin = DeadLetterAdmin(KafkaDeadLetters(bootstrap, unique_name("test.replay")), publisher)
    try:
        assert await admin.topics(TOPIC) == {dlq: 1}
        [parked] = await admin.show(dlq)
        assert parked.offset == 0
        assert parked.consumer == CONSUMER
        assert "the projection is broken" in parked.reason
        assert parked.event_type == OrderPlacedV1.TYPE
        assert parked.original_headers["ce_id"] == headers_of(parked_record)["ce_id"]
        assert parked.original_topic == TOPIC
        with pytest.raises(UnknownTopic):
            await admin.show(unique_name("test.nothing") + ".dlq")
        with pytest.raises(NotFound):
            await admin.replay_offset(dlq, 7)

        RecordEffect.broken = False  # the fix is deployed
        assert (await admin.replay_all(dlq)).replayed == 1
        again = await admin.replay_all(dlq)  # the cursor: nothing new to replay
        assert (again.replayed, again.already_replayed) == (0, 1)
        assert (await admin.replay_offset(dlq, 0)).replayed == 1  # explicit: replayed
        assert (await admin.replay_type(dlq, OrderPlacedV1.TYPE)).replayed == 1
        await _consumed(bootstrap)
        assert await _count(engine) == 1  # three replays, one effect (the inbox)

        # The outbox range: consumers that have it skip it; one that lost it gets it back.
        async with engine.connect() as conn:
            last = int(await conn.scalar(select(func.max(outbox.c.seq))) or 0)
        replay_outbox = ReplayOutboxRange(SqlOutboxRows(engine), publisher)
        report = await replay_outbox(1, last)
        assert (report.replayed, report.not_yet_published) == (1, 0)
        await _consumed(bootstrap)
        assert await _count(engine) == 1
        async with engine.begin() as conn:  # a restore lost the projection and its inbox
            await conn.execute(delete(effects))
            await conn.execute(delete(inbox).where(inbox.c.consumer == CONSUMER))
        await replay_outbox(1, last)
        await _consumed(bootstrap)
        assert await _count(engine) == 1
        records = await read_topic(bootstrap, TOPIC, at_least=6)
        replays = [headers_of(r) for r in records if dead_letters.REPLAY in headers_of(r)]
        assert [h[dead_letters.REPLAY] for h in replays] == ["dlq"] * 3 + ["outbox"] * 2
        assert {h["ce_id"] for h in replays} == {parked.event_id}
        with pytest.raises(NotFound):
            await replay_outbox(last + 1, last + 10)
    finally:
        await publisher.close()
