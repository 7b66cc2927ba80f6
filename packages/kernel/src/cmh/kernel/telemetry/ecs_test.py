from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from opentelemetry import trace

from cmh.kernel.logging import configure_logging
from cmh.kernel.settings import SettingsError
from cmh.kernel.telemetry.setup import tracer
from cmh_testing.kernel.tracing import recording_spans


@pytest.fixture
def restore_logging() -> Iterator[None]:
    saved = structlog.get_config()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    structlog.configure(**saved)
    root.handlers[:], root.level = handlers, level
    structlog.contextvars.clear_contextvars()


def lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines()]


def test_a_line_carries_the_ecs_fields_and_the_request_and_trace_ids(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", service="courses", format="ecs")
    structlog.contextvars.bind_contextvars(request_id="req-7", correlation_id="corr-7")
    with recording_spans(), tracer().start_as_current_span("work") as span:
        structlog.get_logger("t").info("courses.enrolled", course_id="c-1", seats=3)
    (line,) = lines(capsys)
    ids = span.get_span_context()
    assert list(line)[:3] == ["@timestamp", "log.level", "message"]
    assert line["log.level"] == "info"
    assert line["message"] == "courses.enrolled"
    assert line["@timestamp"].endswith("Z")
    assert line["service"] == {"name": "courses"}
    assert line["event"] == {"dataset": "courses.log"}
    assert line["ecs"]["version"].startswith("8.")
    assert line["http"] == {"request": {"id": "req-7"}}
    assert line["labels"] == {"correlation_id": "corr-7"}
    assert line["trace"] == {"id": trace.format_trace_id(ids.trace_id)}
    assert line["span"] == {"id": trace.format_span_id(ids.span_id)}
    assert line["cmh"] == {"course_id": "c-1", "seats": 3}


def test_keys_named_like_ecs_objects_stay_in_the_platforms_namespace(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", service="gateway", format="ecs")
    structlog.get_logger("t").warning("upstream.down", error="timeout", user="u-1")
    (line,) = lines(capsys)
    assert line["log.level"] == "warning"
    assert line["cmh"] == {"error": "timeout", "user": "u-1"}
    assert "error" not in line
    assert "user" not in line


def test_an_exception_fills_the_error_fields(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", service="labs", format="ecs")
    try:
        raise LookupError("no such template")
    except LookupError:
        structlog.get_logger("t").exception("labs.start_failed")
    (line,) = lines(capsys)
    assert line["log.level"] == "error"
    assert line["error"]["type"] == "LookupError"
    assert line["error"]["message"] == "no such template"
    assert "Traceback" in line["error"]["stack_trace"]
    assert "no such template" in line["error"]["stack_trace"]


def test_standard_library_loggers_write_ecs_lines_under_the_request_id(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", service="users", format="ecs")
    structlog.contextvars.bind_contextvars(request_id="req-9")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    (line,) = lines(capsys)
    assert line["message"] == "Exception in ASGI application"
    assert line["log.level"] == "error"
    assert line["log"] == {"logger": "uvicorn.error"}
    assert line["http"]["request"]["id"] == "req-9"
    assert line["service"]["name"] == "users"
    assert line["error"]["type"] == "RuntimeError"


def test_the_console_format_is_for_people(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO", service="platform", format="console")
    structlog.get_logger("t").info("platform.started", port=8000)
    output = capsys.readouterr().err
    assert "platform.started" in output
    assert "port" in output
    assert not output.lstrip().startswith("{")


def test_the_format_comes_from_the_environment(
    restore_logging: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMH_LOG_FORMAT", "ecs")
    configure_logging("INFO", service="analytics")
    structlog.get_logger("t").info("analytics.ready")
    assert lines(capsys)[0]["service"]["name"] == "analytics"
    monkeypatch.setenv("OTEL_SERVICE_NAME", "analytics-canary")  # as its traces name it
    configure_logging("INFO", service="analytics")
    structlog.get_logger("t").info("analytics.ready")
    assert lines(capsys)[0]["service"]["name"] == "analytics-canary"
    monkeypatch.setenv("CMH_LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match="CMH_LOG_FORMAT"):
        configure_logging("INFO")
