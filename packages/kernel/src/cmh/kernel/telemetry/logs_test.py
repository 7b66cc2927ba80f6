from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import structlog
from opentelemetry import trace

from cmh.kernel.logging import configure_logging
from cmh.kernel.telemetry.setup import tracer
from cmh_testing.kernel.tracing import recording_spans


@pytest.fixture
def restore_logging() -> Iterator[None]:
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)


def test_log_lines_inside_a_span_carry_its_trace_and_span_ids(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")  # here, where capsys holds stderr: the lines go there
    with recording_spans(), tracer().start_as_current_span("work") as span:
        structlog.get_logger("t").info("inside")
    structlog.get_logger("t").info("outside")
    inside, outside = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    ids = span.get_span_context()
    assert inside["trace_id"] == trace.format_trace_id(ids.trace_id)
    assert inside["span_id"] == trace.format_span_id(ids.span_id)
    assert "trace_id" not in outside
