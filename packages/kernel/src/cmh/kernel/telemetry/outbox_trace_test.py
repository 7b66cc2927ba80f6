"""One trace from the use case to the consumer: outbox write -> relay -> handler, through
the in-process bus (always) and through Kafka with FastStream's middleware (integration)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import pytest
from dishka import AsyncContainer, Provider, Scope, provide
from faststream.kafka import KafkaBroker, KafkaMessage
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.contracts.events.base import Envelope, IntegrationEvent, decode_envelope
from cmh.kernel.di import (
    ClockProvider,
    InProcessBusProvider,
    KafkaProvider,
    LocalLeaseProvider,
    SqlProvider,
)
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.kafka import KafkaEventPublisher
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription
from cmh.kernel.module import assemble
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.telemetry.messaging import publishing
from cmh.kernel.telemetry.setup import tracer
from cmh.kernel.uow import UnitOfWork
from cmh_testing.kernel.servers import kafka_bootstrap, unique_name
from cmh_testing.kernel.tracing import RecordedSpans, recording_spans


class LessonWatchedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "test.lesson_watched"
    TOPIC: ClassVar[str] = "test.lessons"
    lesson_id: str


class WatchLesson:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, lesson_id: str) -> None:
        async with self._uow:
            self._uow.publish(LessonWatchedV1(lesson_id=lesson_id), subject=lesson_id)
            await self._uow.commit()


class SeenInTrace:
    """The consumer: notes the trace it runs in."""

    traces: ClassVar[list[int]] = []

    async def __call__(self, envelope: Envelope) -> None:
        SeenInTrace.traces.append(trace.get_current_span().get_span_context().trace_id)


class TracedFlowProvider(Provider):
    scope = Scope.REQUEST
    watch = provide(WatchLesson)
    seen = provide(SeenInTrace)


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[tuple[AsyncContainer, InProcessBus]]:
    bus = InProcessBus(
        [Subscription(topic=LessonWatchedV1.TOPIC, consumer="test.seen", handler=SeenInTrace)]
    )
    container = assemble(
        ClockProvider(),
        SqlProvider(),
        LocalLeaseProvider(),
        InProcessBusProvider(),
        TracedFlowProvider(),
        context={
            DatabaseSettings: DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/t.db"),
            InProcessBus: bus,
        },
    )
    bus.bind(container)
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS])
    SeenInTrace.traces = []
    yield container, bus
    await container.close()


def _parent_of(spans: RecordedSpans, name: str) -> int | None:
    parent = spans.named(name).parent
    return parent.span_id if parent else None


async def test_the_consumer_continues_the_trace_of_the_use_case_that_wrote_the_event(
    embedded: tuple[AsyncContainer, InProcessBus],
) -> None:
    container, bus = embedded
    with recording_spans() as spans:
        with tracer().start_as_current_span("POST /lessons", kind=SpanKind.SERVER) as request:
            async with container() as scope:
                await (await scope.get(WatchLesson))("l-1")
        # The relay runs later, in a loop of its own: no trace of its own to inherit.
        assert trace.get_current_span().get_span_context().is_valid is False
        assert await (await container.get(OutboxRelay)).drain() == 1
    trace_id = request.get_span_context().trace_id
    envelope = decode_envelope(bus.published[0].payload)
    assert envelope.traceparent is not None
    assert envelope.traceparent.startswith(f"00-{trace_id:032x}-")
    write = spans.named("outbox write")
    relay = spans.named("test.lessons relay")
    assert write.parent is not None
    assert write.parent.span_id == request.get_span_context().span_id
    assert write.context is not None
    assert _parent_of(spans, "test.lessons relay") == write.context.span_id
    assert relay.kind == SpanKind.PRODUCER
    assert SeenInTrace.traces == [trace_id]


def test_a_message_without_trace_context_is_published_in_the_current_trace() -> None:
    dead_letter = OutgoingMessage(topic="test.lessons.dlq", key="l-1", payload=b"{}")
    with (
        recording_spans() as spans,
        tracer().start_as_current_span("test.lessons process") as consuming,
        publishing(dead_letter),
    ):
        pass
    parked = spans.named("test.lessons.dlq relay")
    assert parked.parent is not None
    assert parked.parent.span_id == consuming.get_span_context().span_id


async def test_without_tracing_envelopes_carry_no_trace_context(
    embedded: tuple[AsyncContainer, InProcessBus],
) -> None:
    container, bus = embedded
    async with container() as scope:
        await (await scope.get(WatchLesson))("l-1")
    await (await container.get(OutboxRelay)).drain()
    assert decode_envelope(bus.published[0].payload).traceparent is None
    assert "traceparent" not in bus.published[0].headers


@pytest.mark.integration
async def test_over_kafka_the_consumers_process_span_continues_the_relays_trace() -> None:
    topic = unique_name("test.traces")
    seen: asyncio.Queue[int] = asyncio.Queue()
    with recording_spans() as spans:
        container = assemble(
            KafkaProvider(),
            context={KafkaSettings: KafkaSettings(bootstrap_servers=kafka_bootstrap())},
        )
        broker = await container.get(KafkaBroker)

        @broker.subscriber(topic, group_id=unique_name("g"), auto_offset_reset="earliest")
        async def consume(message: KafkaMessage) -> None:
            await seen.put(trace.get_current_span().get_span_context().trace_id)

        await broker.start()
        try:
            # What the relay reads back from an outbox row written inside a trace.
            with tracer().start_as_current_span("outbox write") as write:
                carrier = {"ce_type": "test.x", "ce_id": "e-1"}
                propagate.inject(carrier)
            await KafkaEventPublisher(broker).publish(
                [OutgoingMessage(topic=topic, key="k", payload=b"{}", headers=carrier)]
            )
            trace_id = await asyncio.wait_for(seen.get(), 60)
        finally:
            await container.close()
    assert trace_id == write.get_span_context().trace_id
    process = next(s for s in spans.all() if s.name == f"{topic} process")
    assert process.kind == SpanKind.CONSUMER
    assert spans.named(f"{topic} relay").context is not None
