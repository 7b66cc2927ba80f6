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
    return Annotated[
        Envelope | Unreadable, PayloadSchema(message_schema(consumed_events(subscription)))
    ]


class _Message(Protocol):
    @property
    def body(self) -> bytes: ...


def decoder_for(
    subscription: Subscription,
) -> Callable[[_Message], Awaitable[Envelope | Unreadable]]:
    """The FastStream ``decoder`` of the subscription's subscriber: a coroutine, because
    FastStream hands a plain function to a worker thread for every message."""

    async def decode(message: _Message) -> Envelope | Unreadable:
        return read(subscription, message.body)

    return decode


class _Batch(Protocol):
    @property
    def body(self) -> list[bytes]: ...


def batch_decoder_for(
    subscription: Subscription,
) -> Callable[[_Batch], Awaitable[list[Envelope | Unreadable]]]:
    """The decoder of a batch subscriber: each record of the batch read as ``read`` does."""

    async def decode(message: _Batch) -> list[Envelope | Unreadable]:
        return [read(subscription, body) for body in message.body]

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
