"""Turning tracing on for a process: an SDK tracer provider exporting over OTLP/HTTP in
batches, the httpx client instrumented. Off (the default) nothing is installed: every
span helper of this package then returns at once."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

import httpx
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.httpx import AsyncOpenTelemetryTransport, HTTPXClientInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import Link, SpanKind, TraceState
from opentelemetry.util.types import Attributes

from cmh.kernel.telemetry.settings import load_telemetry_settings

_provider: TracerProvider | None = None
_tracer: trace.Tracer = trace.NoOpTracer()


class EntryPointSampler(Sampler):
    """A trace starts where work enters: a request served, a message published or consumed.
    A client call nobody asked for (a health poll, the relay's polling query, a JWKS
    refresh) would otherwise make a one-span trace every few hundred milliseconds."""

    def __init__(self, ratio: float) -> None:
        self._ratio = TraceIdRatioBased(ratio)

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if kind == SpanKind.CLIENT:
            return SamplingResult(Decision.DROP)
        return self._ratio.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"EntryPointSampler({self._ratio.get_description()})"


def process_name(entry_module: str) -> str:
    """``cmh.apps.courses.main`` -> ``courses``; ``...courses.worker`` -> ``courses-worker``."""
    if entry_module == "__main__":  # `python -m cmh.apps.courses.main`: runpy knows the name
        spec = getattr(sys.modules["__main__"], "__spec__", None)
        entry_module = spec.name if spec is not None else entry_module
    parts = entry_module.split(".")
    app, entry = (parts[-2], parts[-1]) if len(parts) >= 2 else (entry_module, "main")
    return app if entry == "main" else f"{app}-{entry}"


def configure_tracing(service: str, environ: Mapping[str, str] | None = None) -> bool:
    """Export this process's spans when an OTLP endpoint is configured; True if so.

    ``service`` names the process in the traces (``courses``, ``courses-worker``);
    ``OTEL_SERVICE_NAME`` overrides it."""
    environ = os.environ if environ is None else environ
    settings = load_telemetry_settings(environ)
    if not settings.endpoint:
        return False
    name = environ.get("OTEL_SERVICE_NAME") or service
    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: name}),
        sampler=ParentBased(root=EntryPointSampler(settings.sample_ratio)),
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(settings.traces_url)))
    trace.set_tracer_provider(provider)
    enable_tracing(provider)
    return True


def enable_tracing(provider: TracerProvider, *processors: SpanProcessor) -> None:
    """Use ``provider`` for the platform's spans and its instrumentations (tests pass one
    with an in-memory exporter; ``disable_tracing`` undoes it)."""
    global _provider, _tracer
    for processor in processors:
        provider.add_span_processor(processor)
    _provider = provider
    _tracer = provider.get_tracer("cmh")
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)


def disable_tracing() -> None:
    global _provider, _tracer
    if _provider is None:
        return
    HTTPXClientInstrumentor().uninstrument()
    _provider.force_flush()
    _provider = None
    _tracer = trace.NoOpTracer()


def traced_transport(transport: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
    """A transport of our own choosing gets the client spans (and the ``traceparent`` they
    carry on) that the instrumentation gives httpx's own transports; as it is when off."""
    if _provider is None:
        return transport
    return AsyncOpenTelemetryTransport(transport, tracer_provider=_provider)


def tracer_provider() -> TracerProvider | None:
    """The provider in use, or None when tracing is off."""
    return _provider


def tracer() -> trace.Tracer:
    """The platform's own spans (outbox, relay); a no-op tracer when tracing is off."""
    return _tracer
