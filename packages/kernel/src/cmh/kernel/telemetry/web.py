"""The HTTP server side: Litestar's own OpenTelemetry plugin (the ASGI instrumentation),
continuing the caller's ``traceparent``. Health probes and metrics scrapes are left out."""

from __future__ import annotations

from litestar.plugins import PluginProtocol
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin

from cmh.kernel.telemetry.setup import tracer_provider

UNTRACED_PATHS = ["^/health", "^/metrics"]


def tracing_plugins() -> list[PluginProtocol]:
    """What ``Litestar(plugins=...)`` needs for server spans; nothing when tracing is off."""
    provider = tracer_provider()
    if provider is None:
        return []
    config = OpenTelemetryConfig(
        tracer_provider=provider,
        exclude=UNTRACED_PATHS,
        # One span per request, not one more per ASGI message.
        exclude_spans=["receive", "send"],
    )
    return [OpenTelemetryPlugin(config)]
