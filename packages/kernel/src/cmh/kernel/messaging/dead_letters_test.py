"""A poison message on real Kafka: retried, then parked on ``<topic>.dlq`` with the reason,
the attempts and its original key and headers, while the message behind it in the same
partition is processed (the partition keeps flowing)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import ClassVar

import msgspec
import pytest
from dishka import Provider, Scope, make_async_container
from faststream.kafka import KafkaBroker

from cmh.contracts.events.base import Envelope, encode_envelope
from cmh.kernel.messaging import dead_letters
from cmh.kernel.messaging.assignments import PartitionAssignments
from cmh.kernel.messaging.kafka import KafkaEventPublisher, register_subscriptions
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription, dead_letter_topic
from cmh.kernel.settings import KafkaSettings
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork
from cmh_testing.kernel.kafka_topics import create_topics, headers_of, read_topic
from cmh_testing.kernel.servers import kafka_bootstrap, unique_name

# The target the issue sets for "the partition keeps flowing": printed, not asserted.
NEXT_MESSAGE_TARGET_S = 10.0
MAX_ATTEMPTS = 5


def test_a_parked_message_is_counted_under_its_topic_and_consumer() -> None:
    parked = dead_letters.dead_letter(
        topic="counted.events",
        consumer="counted.consumer",
        key="k",
        payload=b"{}",
        reason="unreadable",
        attempts=1,
    )
    counter = dead_letters.PARKED.labels("counted.events", "counted.consumer")
    before = counter._value.get()
    dead_letters.count_parked(parked)
    assert counter._value.get() == before + 1


def test_a_dead_letter_keeps_the_original_headers_and_says_why() -> None:
    parked = dead_letters.dead_letter(
        topic="t.orders",
        consumer="t.effects",
        key="o-1",
        payload=b"{}",
        reason="x" * 900,
        attempts=3,
        headers={"ce_id": "e-1", "x-dlq-reason": "an older parking", "x-replay": "dlq"},
    )
    assert parked.topic == "t.orders.dlq"
    assert parked.key == "o-1"
    assert parked.headers["ce_id"] == "e-1"
    assert len(parked.headers[dead_letters.REASON]) == dead_letters.REASON_LIMIT
    assert parked.headers[dead_letters.ATTEMPTS] == "3"
    assert dead_letters.original_headers(parked.headers) == {"ce_id": "e-1"}
    assert dead_letters.original_topic(parked.topic, parked.headers) == "t.orders"
    assert dead_letters.original_topic("a.b.dlq") == "a.b"
    assert dead_letters.is_dead_letter_topic("a.b.dlq")
    assert not dead_letters.is_dead_letter_topic(".dlq")


class Picky:
    """Fails every time on the poison subject; records everything else."""

    calls: ClassVar[list[str]] = []
    handled: ClassVar[dict[str, float]] = {}

    async def __call__(self, envelope: Envelope) -> None:
        self.calls.append(envelope.subject)
        if envelope.subject == "poison":
            raise ValueError("cannot handle a poison order")
        self.handled[envelope.subject] = time.monotonic()


def _envelope(subject: str) -> Envelope:
    return Envelope(
        id=f"evt-{subject}",
        type="test.order_placed",
        source="test",
        subject=subject,
        time=datetime.now(UTC),
        data=msgspec.Raw(b'{"order_id":"x"}'),
    )


@pytest.mark.integration
async def test_a_poison_message_is_parked_with_its_headers_and_the_next_one_flows() -> None:
    bootstrap = kafka_bootstrap()
    topic = unique_name("test.dlqflow")
    await create_topics(bootstrap, topic, dead_letter_topic(topic))
    Picky.calls.clear()
    Picky.handled.clear()
    provider = Provider(scope=Scope.REQUEST)
    provider.provide(Picky)
    provider.provide(lambda: InMemoryUnitOfWork(), provides=UnitOfWork, scope=Scope.APP)
    container = make_async_container(provider)
    subscription = Subscription(topic=topic, consumer=unique_name("test.picky"), handler=Picky)
    settings = KafkaSettings(bootstrap_servers=bootstrap)
    broker = KafkaBroker(bootstrap)
    register_subscriptions(broker, [subscription], [container], PartitionAssignments(), settings)
    await broker.start()
    try:
        publisher = KafkaEventPublisher(broker)
        sent_at = time.monotonic()
        # One partition: the good message is behind the poison one.
        await publisher.publish(
            [
                OutgoingMessage(
                    topic=topic,
                    key=subject,
                    payload=encode_envelope(_envelope(subject)),
                    headers={
                        "ce_id": f"evt-{subject}",
                        "ce_type": "test.order_placed",
                        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                    },
                )
                for subject in ("poison", "good")
            ]
        )
        [parked] = await read_topic(bootstrap, dead_letter_topic(topic), at_least=1)
        for _ in range(600):  # the good message, up to 30 s
            if "good" in Picky.handled:
                break
            await asyncio.sleep(0.05)
    finally:
        await broker.stop()
        await container.close()

    headers = headers_of(parked)
    attempts = Picky.calls.count("poison")
    assert 1 <= attempts <= MAX_ATTEMPTS
    assert headers[dead_letters.ATTEMPTS] == str(attempts)
    assert "cannot handle a poison order" in headers[dead_letters.REASON]
    assert headers[dead_letters.CONSUMER] == subscription.consumer
    assert headers[dead_letters.ORIGINAL_TOPIC] == topic
    assert headers["ce_id"] == "evt-poison"
    assert headers["ce_type"] == "test.order_placed"
    assert headers["traceparent"].startswith("00-0af7651916cd43dd")
    assert parked.key == b"poison"
    assert b'"id":"evt-poison"' in parked.value
    assert "good" in Picky.handled  # the partition kept flowing
    # Counted for the DLQ alert, under the original topic and the consumer that parked it.
    assert dead_letters.PARKED.labels(topic, subscription.consumer)._value.get() == 1
    print(
        f"\npoison parked after {attempts} attempt(s) (at most {MAX_ATTEMPTS}); the message "
        f"behind it handled {Picky.handled['good'] - sent_at:.2f} s after publishing "
        f"(target {NEXT_MESSAGE_TARGET_S:.0f} s)"
    )
