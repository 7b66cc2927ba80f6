"""SQL statements as spans (the official SQLAlchemy instrumentation, attached per engine:
our engines are made after the process has started, by the DI container)."""

from __future__ import annotations

from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeter
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.telemetry.setup import tracer_provider

_NO_METRICS = NoOpMeter("cmh").create_up_down_counter("db.client.connections.usage")


def trace_engine(engine: AsyncEngine) -> AsyncEngine:
    provider = tracer_provider()
    if provider is not None:
        tracer = provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
        EngineTracer(tracer, engine.sync_engine, _NO_METRICS)  # type: ignore[no-untyped-call]
    return engine
