"""OpenTelemetry traces for every process: HTTP server (Litestar's plugin) and client
(httpx), SQL, the outbox and the broker; trace ids in log lines. Exported over OTLP/HTTP
when ``CMH_OTEL__ENDPOINT`` is set (Jaeger in ``infra/local``); otherwise off and free."""

from cmh.kernel.telemetry.logs import add_trace_ids
from cmh.kernel.telemetry.setup import (
    configure_tracing,
    disable_tracing,
    enable_tracing,
    tracer,
    tracer_provider,
)

__all__ = [
    "add_trace_ids",
    "configure_tracing",
    "disable_tracing",
    "enable_tracing",
    "tracer",
    "tracer_provider",
]
