"""Trace and span ids on every log line written inside a span, so a log line leads to its
trace in Jaeger and a trace to its log lines."""

from __future__ import annotations

from opentelemetry import trace
from structlog.typing import EventDict, WrappedLogger


def trace_ids(span_context: trace.SpanContext) -> dict[str, str]:
    """``trace_id`` and ``span_id`` of a span, as log keys; none for an invalid span."""
    if not span_context.is_valid:
        return {}
    return {
        "trace_id": trace.format_trace_id(span_context.trace_id),
        "span_id": trace.format_span_id(span_context.span_id),
    }


def add_trace_ids(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    event_dict.update(trace_ids(trace.get_current_span().get_span_context()))
    return event_dict
