from __future__ import annotations

import importlib.machinery
import sys
import types

import pytest
from opentelemetry.sdk.trace.sampling import Decision
from opentelemetry.trace import SpanKind

from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.settings import SettingsError
from cmh.kernel.telemetry.messaging import (
    kafka_middlewares,
    publishing,
    recording_events,
    trace_headers,
)
from cmh.kernel.telemetry.settings import load_telemetry_settings
from cmh.kernel.telemetry.setup import (
    EntryPointSampler,
    configure_tracing,
    process_name,
    tracer_provider,
)
from cmh.kernel.telemetry.web import tracing_plugins


def test_the_endpoint_comes_from_cmh_otel_or_the_standard_variable() -> None:
    ours = {"CMH_OTEL__ENDPOINT": "http://127.0.0.1:4318/", "OTEL_EXPORTER_OTLP_ENDPOINT": "x"}
    assert load_telemetry_settings(ours).traces_url == "http://127.0.0.1:4318/v1/traces"
    standard = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    assert load_telemetry_settings(standard).endpoint == "http://collector:4318"
    assert load_telemetry_settings({}).endpoint == ""


def test_a_wrong_endpoint_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="CMH_OTEL__ENDPOINT"):
        load_telemetry_settings({"CMH_OTEL__ENDPOINT": "127.0.0.1:4318"})
    with pytest.raises(SettingsError, match="OTEL_EXPORTER_OTLP_ENDPOINT"):
        load_telemetry_settings({"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"})


def test_without_an_endpoint_nothing_is_installed() -> None:
    assert configure_tracing("courses", environ={}) is False
    assert tracer_provider() is None
    assert tracing_plugins() == []
    assert kafka_middlewares() == ()
    with recording_events(["order.placed"]) as traceparent:
        assert traceparent is None
    assert (
        trace_headers(b'{"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}')
        == {}
    )
    with publishing(OutgoingMessage(topic="t", key="k", payload=b"{}")):
        pass


def test_processes_are_named_after_their_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    assert process_name("cmh.apps.courses.main") == "courses"
    assert process_name("cmh.apps.courses.worker") == "courses-worker"
    # Run as `python -m cmh.apps.courses.worker`, the entry point's module is __main__.
    main = types.ModuleType("__main__")
    main.__spec__ = importlib.machinery.ModuleSpec("cmh.apps.courses.worker", None)
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert process_name("__main__") == "courses-worker"


@pytest.mark.parametrize(
    ("kind", "decision"),
    [
        (SpanKind.SERVER, Decision.RECORD_AND_SAMPLE),
        (SpanKind.CONSUMER, Decision.RECORD_AND_SAMPLE),
        (SpanKind.PRODUCER, Decision.RECORD_AND_SAMPLE),
        # A client call that starts a trace is background polling (health, relay, JWKS).
        (SpanKind.CLIENT, Decision.DROP),
    ],
)
def test_traces_start_at_entry_points_only(kind: SpanKind, decision: Decision) -> None:
    result = EntryPointSampler(1.0).should_sample(None, 0x1234, "span", kind)
    assert result.decision == decision
