"""A trace that crosses the outbox and the broker.

A use case's commit writes its events inside an ``outbox write`` span and each envelope
keeps that span's ``traceparent`` (the CloudEvents distributed-tracing attribute): the
relay publishes later, from a loop of its own, so the context must travel with the row.
The relay's ``<topic> relay`` span continues it and the message headers carry it on
(W3C trace context); on Kafka, FastStream's telemetry middleware makes the publish span
and the consumer's ``process`` span, inside which the handler runs. A batch consumer gets
one FastStream span per batch, in a trace of its own with a link per message;
``processing_batch`` gives each event of the batch its ``<topic> process`` span in the
event's own trace too. In process (the embedded profile) the subscribers run inside the
relay span itself."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import msgspec
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry import propagate, trace
from opentelemetry.trace import Link, SpanKind

from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.telemetry.setup import tracer, tracer_provider


class _Traced(msgspec.Struct):
    traceparent: str | None = None


_envelope_trace = msgspec.json.Decoder(_Traced)


@contextmanager
def recording_events(event_types: Sequence[str]) -> Iterator[str | None]:
    """Around the outbox insert; yields the ``traceparent`` the events carry (None when
    tracing is off)."""
    if tracer_provider() is None or not event_types:
        yield None
        return
    with tracer().start_as_current_span(
        "outbox write",
        attributes={
            "messaging.batch.message_count": len(event_types),
            "cmh.event_types": list(dict.fromkeys(event_types)),
        },
    ):
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        yield carrier.get("traceparent")


def trace_headers(envelope_payload: bytes) -> dict[str, str]:
    """The message headers that continue the trace an outbox row was written in."""
    if tracer_provider() is None:
        return {}
    traceparent = _envelope_trace.decode(envelope_payload).traceparent
    return {"traceparent": traceparent} if traceparent else {}


@contextmanager
def publishing(message: OutgoingMessage) -> Iterator[None]:
    """The relay publishing one message, as a child of the span that wrote it."""
    if tracer_provider() is None:
        yield
        return
    # A message without a trace of its own (a dead letter parked by a consumer) stays in the
    # current one.
    carried = propagate.extract(message.headers) if "traceparent" in message.headers else None
    with tracer().start_as_current_span(
        f"{message.topic} relay",
        context=carried,
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.destination.name": message.topic,
            "messaging.message.id": message.headers.get("ce_id", ""),
            "cmh.event_type": message.headers.get("ce_type", ""),
        },
    ):
        yield


@contextmanager
def processing_batch(topic: str, headers: Sequence[Mapping[str, str]]) -> Iterator[None]:
    """Around a batch handler: each event's trace goes on through the batch.

    Each traced event gets a ``<topic> process`` span, a child of its publish span, open
    while the batch is handled and linked to the batch's span. When the batch's events all
    continue one trace (a batch of one, the usual batch when traffic is light; the events
    one request wrote), the handler runs inside the newest event's span, so its statements
    belong to that trace, as a single consumer's would; otherwise they stay in the batch's
    span (one handler call serves several traces: an author's edits are requests of their
    own, so their events and the publish after them are one batch of several traces)."""
    if tracer_provider() is None:
        yield
        return
    batch = trace.get_current_span().get_span_context()
    attributes: dict[str, str | int] = {
        "messaging.destination.name": topic,
        "messaging.batch.message_count": len(headers),
    }
    spans = [
        tracer().start_span(
            f"{topic} process",
            context=propagate.extract(h),
            kind=SpanKind.CONSUMER,
            attributes=attributes,
            links=[Link(batch)] if batch.is_valid else None,
        )
        for h in headers
        if "traceparent" in h
    ]
    one_trace = len({span.get_span_context().trace_id for span in spans}) == 1
    try:
        if one_trace and len(spans) == len(headers):
            with trace.use_span(spans[-1]):
                yield
        else:
            yield
    finally:
        for span in spans:
            span.end()


def kafka_middlewares() -> tuple[KafkaTelemetryMiddleware, ...]:
    """For ``KafkaBroker(middlewares=...)``: publish and process spans, context in headers."""
    provider = tracer_provider()
    return () if provider is None else (KafkaTelemetryMiddleware(tracer_provider=provider),)
