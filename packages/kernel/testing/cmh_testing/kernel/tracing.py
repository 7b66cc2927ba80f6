"""Tracing on, for one test: the platform's spans go to memory, where the test reads them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cmh.kernel.telemetry.setup import disable_tracing, enable_tracing


class RecordedSpans:
    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self._exporter = exporter

    def all(self) -> list[ReadableSpan]:
        return list(self._exporter.get_finished_spans())

    def named(self, name: str) -> ReadableSpan:
        found = [s for s in self.all() if s.name == name]
        assert len(found) == 1, f"{len(found)} spans named {name!r} in {self.names()}"
        return found[0]

    def names(self) -> list[str]:
        return [s.name for s in self.all()]

    def of_trace(self, trace_id: int) -> list[ReadableSpan]:
        return [s for s in self.all() if s.context is not None and s.context.trace_id == trace_id]


@contextmanager
def recording_spans() -> Iterator[RecordedSpans]:
    exporter = InMemorySpanExporter()
    enable_tracing(TracerProvider(), SimpleSpanProcessor(exporter))
    try:
        yield RecordedSpans(exporter)
    finally:
        disable_tracing()
