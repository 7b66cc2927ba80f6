"""Subscribers typed by the events they consume.

FastStream documents a subscriber's payload from its handler's signature, so the body
the kernel's Kafka subscriber declares is the envelope carrying one of the subscription's
events, with that message's JSON Schema (``cmh.contracts.messages``): each worker's
AsyncAPI document (``/asyncapi``, ``/asyncapi.json``) shows every payload it consumes.

Messages are decoded with the ``contracts`` Structs, by the subscriber's ``decoder``:
the envelope, then the data of each event the subscription takes, as its version's
Struct. A message that does not match (not an envelope, an unknown version, data that
breaks its contract) will never match: it comes out ``Unreadable`` and is parked at
once, without retries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

import msgspec

from cmh.contracts.catalog import event_versions
from cmh.contracts.events.base import Envelope, IntegrationEvent, decode_envelope
from cmh.contracts.messages import message_schema
from cmh.kernel.messaging.ports import Subscription


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A message the subscription cannot read, with why."""

    body: bytes
    reason: str


class PayloadSchema:
    """``Annotated`` metadata handing FastStream's AsyncAPI generator (which asks pydantic,
    through these two hooks) the payload's JSON Schema from msgspec. The value was
    already decoded by msgspec, so pydantic passes it through unchecked."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return handler(Any)

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return self.schema


def consumed_events(subscription: Subscription) -> list[type[IntegrationEvent]]:
    """Every version of every event the subscription takes (none: it takes them all)."""
    return [e for name in sorted(subscription.event_types) for e in event_versions(name)]


def payload_type(subscription: Subscription) -> Any:
    """The annotation of the subscriber's body: what it receives, what it documents."""
    return Annotated[Received, PayloadSchema(message_schema(consumed_events(subscription)))]


@dataclass(frozen=True, slots=True)
class Received:
    """One record as its subscriber read it: the envelope (or why it cannot be read) and
    what a dead letter carries of the record (key, headers) and where it sits (its
    partition's offset, on the consumer that fetched it) for the offset commit.

    The decoder hands all of it to the handler: asking FastStream for the message as a
    handler parameter instead runs a plain function in a worker thread per message."""

    content: Envelope | Unreadable
    key: str
    headers: dict[str, str]
    topic: str
    partition: int
    offset: int
    consumer: Any


class _Record(Protocol):
    topic: str
    partition: int
    offset: int
    key: bytes | None


class _Message(Protocol):
    @property
    def body(self) -> bytes: ...
    @property
    def headers(self) -> Any: ...
    @property
    def raw_message(self) -> Any: ...
    @property
    def consumer(self) -> Any: ...


def _received(
    subscription: Subscription, body: bytes, record: _Record, headers: Any, consumer: Any
) -> Received:
    key = record.key.decode(errors="replace") if isinstance(record.key, bytes) else ""
    return Received(
        content=read(subscription, body),
        key=key,
        headers=dict(headers or {}),
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        consumer=consumer,
    )


def decoder_for(subscription: Subscription) -> Callable[[_Message], Awaitable[Received]]:
    """The FastStream ``decoder`` of the subscription's subscriber: a coroutine, because
    FastStream hands a plain function to a worker thread for every message."""

    async def decode(message: _Message) -> Received:
        return _received(
            subscription, message.body, message.raw_message, message.headers, message.consumer
        )

    return decode


class _Batch(Protocol):
    @property
    def body(self) -> list[bytes]: ...
    @property
    def batch_headers(self) -> list[Any]: ...
    @property
    def raw_message(self) -> Any: ...
    @property
    def consumer(self) -> Any: ...


def batch_decoder_for(
    subscription: Subscription,
) -> Callable[[_Batch], Awaitable[list[Received]]]:
    """The decoder of a batch subscriber: each record of the batch read as ``read`` does."""

    async def decode(message: _Batch) -> list[Received]:
        records = message.raw_message
        records = records if isinstance(records, tuple) else (records,)
        headers = message.batch_headers or [{}] * len(records)
        return [
            _received(subscription, body, record, h, message.consumer)
            for body, record, h in zip(message.body, records, headers, strict=False)
        ]

    return decode


def read(subscription: Subscription, body: bytes) -> Envelope | Unreadable:
    try:
        envelope = decode_envelope(body)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        return Unreadable(body, f"undecodable: {exc}")
    if not subscription.wants(envelope) or not subscription.event_types:
        return envelope  # not ours to read: delivery skips it (or takes it as it is)
    event = next(
        (e for e in event_versions(envelope.type) if envelope.dataschema_version == e.VERSION),
        None,
    )
    if event is None:
        return Unreadable(body, f"{envelope.type} v{envelope.dataschema_version}: no contract")
    try:
        msgspec.json.decode(envelope.data, type=event)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        return Unreadable(body, f"{envelope.type} breaks {event.__name__}: {exc}")
    return envelope


def event_of(envelope: Envelope) -> IntegrationEvent:
    """The envelope's data as its event version's ``contracts`` Struct (``read`` checked it)."""
    for event in event_versions(envelope.type):
        if envelope.dataschema_version == event.VERSION:
            return msgspec.json.decode(envelope.data, type=event)
    raise LookupError(f"{envelope.type} v{envelope.dataschema_version}: no contract")
