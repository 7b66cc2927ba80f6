from __future__ import annotations

from opentelemetry import trace

from cmh.kernel.telemetry.logs import add_trace_ids
from cmh.kernel.telemetry.setup import tracer
from cmh_testing.kernel.tracing import recording_spans


def test_log_lines_inside_a_span_carry_its_trace_and_span_ids() -> None:
    with recording_spans(), tracer().start_as_current_span("work") as span:
        inside = add_trace_ids(None, "info", {"event": "inside"})
    outside = add_trace_ids(None, "info", {"event": "outside"})
    ids = span.get_span_context()
    assert inside["trace_id"] == trace.format_trace_id(ids.trace_id)
    assert inside["span_id"] == trace.format_span_id(ids.span_id)
    assert "trace_id" not in outside
