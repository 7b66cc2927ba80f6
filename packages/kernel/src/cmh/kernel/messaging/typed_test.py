"""Typed subscribers: what a subscription reads, and what FastStream documents of it."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

import msgspec
import pytest
from dishka import Provider, Scope, make_async_container
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.specification import AsyncAPI

from cmh.contracts.events.base import Envelope, encode_envelope, wrap
from cmh.contracts.events.courses import COURSE_TOPIC, CourseArchivedV1, CoursePublishedV1
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1, UserTierChangedV1
from cmh.contracts.messages import inline_refs
from cmh.kernel.messaging.assignments import PartitionAssignments
from cmh.kernel.messaging.kafka import KafkaEventPublisher, register_subscriptions
from cmh.kernel.messaging.ports import OutgoingMessage, Subscription
from cmh.kernel.messaging.typed import (
    Unreadable,
    consumed_events,
    decoder_for,
    payload_type,
    read,
)
from cmh.kernel.settings import KafkaSettings
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork

NOW = datetime(2026, 1, 1, tzinfo=UTC)


class Handler:
    async def __call__(self, envelope: Envelope) -> None: ...


ERASURE = Subscription(
    topic=USERS_TOPIC,
    consumer="test.erasure",
    handler=Handler,
    event_types=frozenset({UserErasureRequestedV1.TYPE}),
)


def message(data: bytes, *, type: str = UserErasureRequestedV1.TYPE, version: int = 1) -> bytes:
    envelope = wrap(
        UserErasureRequestedV1(user_id="u-1"), id="e-1", source="t", subject="u-1", time=NOW
    )
    return encode_envelope(
        msgspec.structs.replace(
            envelope, type=type, data=msgspec.Raw(data), dataschema_version=version
        )
    )


def test_a_subscription_consumes_the_contracts_of_its_event_types() -> None:
    assert consumed_events(ERASURE) == [UserErasureRequestedV1]
    everything = Subscription(topic=USERS_TOPIC, consumer="test.all", handler=Handler)
    assert consumed_events(everything) == []


def test_an_event_type_no_contract_declares_is_a_wiring_error() -> None:
    unknown = Subscription(
        topic=USERS_TOPIC, consumer="t", handler=Handler, event_types=frozenset({"user.nope"})
    )
    with pytest.raises(KeyError, match=r"user\.nope"):
        consumed_events(unknown)


def test_a_message_of_its_contract_is_read_as_an_envelope() -> None:
    read_back = read(ERASURE, message(b'{"user_id":"u-1"}'))
    assert isinstance(read_back, Envelope)
    assert read_back.decode(UserErasureRequestedV1).user_id == "u-1"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "undecodable"),
        (b'{"id": "e-1"}', "undecodable"),
        (message(b'{"user_id": 3}'), "user.erasure_requested breaks UserErasureRequestedV1"),
        (message(b"{}"), "breaks UserErasureRequestedV1"),
        (message(b'{"user_id":"u-1"}', version=9), "user.erasure_requested v9: no contract"),
    ],
)
def test_a_message_breaking_its_contract_is_unreadable(body: bytes, reason: str) -> None:
    read_back = read(ERASURE, body)
    assert isinstance(read_back, Unreadable)
    assert reason in read_back.reason
    assert read_back.body == body


def test_events_the_subscription_does_not_take_are_left_unread() -> None:
    # Another consumer's event on the same topic: delivery skips it, whatever its data.
    read_back = read(ERASURE, message(b'{"who": 1}', type=UserTierChangedV1.TYPE))
    assert isinstance(read_back, Envelope)


def _payload_of(subscription: Subscription) -> dict[str, Any]:
    broker = KafkaBroker()

    async def handle(envelope: Any) -> None: ...

    handle.__annotations__ = {"envelope": payload_type(subscription), "return": None}
    title = f"{subscription.consumer}:{subscription.topic}"
    broker.subscriber(subscription.topic, title=title)(handle)
    document = AsyncAPI(broker, title="test").to_specification().to_jsonable()
    payload: dict[str, Any] = document["components"]["schemas"][f"{title}:Message:Payload"]
    return payload


def test_asyncapi_shows_the_payload_schema_of_each_consumed_event() -> None:
    indexer = Subscription(
        topic=COURSE_TOPIC,
        consumer="test.indexer",
        handler=Handler,
        event_types=frozenset({CoursePublishedV1.TYPE, CourseArchivedV1.TYPE}),
    )
    alternatives = _payload_of(indexer)["oneOf"]
    for event in (CoursePublishedV1, CourseArchivedV1):
        _, defs = msgspec.json.schema_components([event])
        [alternative] = [a for a in alternatives if a["properties"]["type"]["const"] == event.TYPE]
        assert alternative["properties"]["data"] == inline_refs(defs[event.__name__], defs)


# ---- on the Kafka subscriber the worker registers


class Recorder:
    seen: ClassVar[list[str]] = []

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        self.seen.append(event.user_id)


def _kafka_subscriber(broker: KafkaBroker) -> None:
    provider = Provider(scope=Scope.REQUEST)
    provider.provide(Recorder)
    provider.provide(lambda: InMemoryUnitOfWork(), provides=UnitOfWork, scope=Scope.APP)
    container = make_async_container(provider)
    subscription = Subscription(
        topic=USERS_TOPIC,
        consumer="test.erasure",
        handler=Recorder,
        event_types=frozenset({UserErasureRequestedV1.TYPE}),
        description="Forget an erased user.",
    )
    register_subscriptions(
        broker, [subscription], [container], PartitionAssignments(), KafkaSettings()
    )


async def test_the_kafka_subscriber_delivers_its_events_and_parks_what_breaks_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Recorder.seen.clear()
    parked: list[OutgoingMessage] = []

    async def park(self: KafkaEventPublisher, messages: Sequence[OutgoingMessage]) -> None:
        parked.extend(messages)

    monkeypatch.setattr(KafkaEventPublisher, "publish", park)
    broker = KafkaBroker()
    _kafka_subscriber(broker)
    broken = message(b'{"user_id": 3}')
    async with TestKafkaBroker(broker) as running:
        await running.publish(message(b'{"user_id":"u-1"}'), topic=USERS_TOPIC)
        await running.publish(broken, topic=USERS_TOPIC)
        await running.publish(b"not an envelope", topic=USERS_TOPIC)

    assert Recorder.seen == ["u-1"]  # the broken one was never handed to the handler
    assert [(p.topic, p.payload) for p in parked] == [
        (f"{USERS_TOPIC}.dlq", broken),
        (f"{USERS_TOPIC}.dlq", b"not an envelope"),
    ]
    assert "breaks UserErasureRequestedV1" in parked[0].headers["x-dlq-reason"]
    assert parked[1].headers["x-dlq-reason"].startswith("undecodable")
    assert {p.headers["x-dlq-consumer"] for p in parked} == {"test.erasure"}


def test_the_kafka_subscriber_documents_its_payload_in_asyncapi() -> None:
    broker = KafkaBroker()
    _kafka_subscriber(broker)
    document = AsyncAPI(broker, title="test").to_specification().to_jsonable()
    payload = document["components"]["schemas"]["test.erasure:users.user:Message:Payload"]
    _, defs = msgspec.json.schema_components([UserErasureRequestedV1])
    assert payload["properties"]["type"] == {"const": UserErasureRequestedV1.TYPE}
    assert payload["properties"]["data"] == inline_refs(defs["UserErasureRequestedV1"], defs)


def test_the_decoder_runs_on_the_event_loop() -> None:
    # FastStream runs a plain-function decoder in a worker thread, one hop per message.
    subscription = Subscription(topic=USERS_TOPIC, consumer="test.typed", handler=Handler)
    assert inspect.iscoroutinefunction(decoder_for(subscription))
