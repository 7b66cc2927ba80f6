"""Trace and span ids on every log line written inside a span, so a log line leads to its
trace in Jaeger and a trace to its log lines."""

from __future__ import annotations

from opentelemetry import trace
from structlog.typing import EventDict, WrappedLogger


def add_trace_ids(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        event_dict["trace_id"] = trace.format_trace_id(span_context.trace_id)
        event_dict["span_id"] = trace.format_span_id(span_context.span_id)
    return event_dict
