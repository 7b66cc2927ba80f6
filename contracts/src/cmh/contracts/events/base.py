"""The event envelope (CloudEvents 1.0 attributes) and the base of every integration event.

An integration event is a versioned msgspec Struct with its CloudEvents ``type`` and the
Kafka ``topic`` it travels on. The topic is per context and aggregate; the message key
is the envelope's ``subject`` (the aggregate id) so one aggregate's events stay ordered.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any, ClassVar, TypeVar

import msgspec


class IntegrationEvent(msgspec.Struct, frozen=True, kw_only=True):
    TYPE: ClassVar[str]
    TOPIC: ClassVar[str]
    VERSION: ClassVar[int] = 1


E = TypeVar("E", bound=IntegrationEvent)


class Envelope(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    type: str
    source: str
    subject: str
    time: datetime
    data: msgspec.Raw
    specversion: str = "1.0"
    dataschema_version: int = 1
    correlation_id: str | None = None
    causation_id: str | None = None
    # W3C trace context of the span that recorded the event (CloudEvents' distributed
    # tracing extension): the relay and the consumers continue that trace.
    traceparent: str | None = None

    def decode(self, event_type: builtins.type[E]) -> E:
        if self.type != event_type.TYPE:
            raise ValueError(f"envelope carries {self.type!r}, not {event_type.TYPE!r}")
        return msgspec.json.decode(self.data, type=event_type)


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(Envelope)


def wrap(
    event: IntegrationEvent,
    *,
    id: str,
    source: str,
    subject: str,
    time: datetime,
    correlation_id: str | None = None,
    causation_id: str | None = None,
    traceparent: str | None = None,
) -> Envelope:
    return Envelope(
        id=id,
        type=event.TYPE,
        source=source,
        subject=subject,
        time=time,
        data=msgspec.Raw(_encoder.encode(event)),
        dataschema_version=event.VERSION,
        correlation_id=correlation_id,
        causation_id=causation_id,
        traceparent=traceparent,
    )


def encode_envelope(envelope: Envelope) -> bytes:
    return _encoder.encode(envelope)


def decode_envelope(payload: bytes) -> Envelope:
    return _decoder.decode(payload)


def json_schema(event_type: type[Any]) -> dict[str, Any]:
    return msgspec.json.schema(event_type)
