from __future__ import annotations

from pathlib import Path

from opentelemetry.trace import SpanKind
from sqlalchemy import text

from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine
from cmh.kernel.telemetry.setup import tracer
from cmh_testing.kernel.tracing import recording_spans


async def test_statements_run_in_a_request_are_its_child_spans(tmp_path: Path) -> None:
    with recording_spans() as spans:
        engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/t.db"))
        with tracer().start_as_current_span("request") as request:
            async with engine.connect() as conn:
                assert await conn.scalar(text("SELECT 41 + 1")) == 42
        await engine.dispose()
    statement = next(s for s in spans.all() if s.kind == SpanKind.CLIENT)
    assert statement.parent is not None
    assert statement.parent.span_id == request.get_span_context().span_id
    assert "SELECT 41 + 1" in str((statement.attributes or {}).get("db.statement"))


async def test_engines_made_while_tracing_is_off_record_nothing(tmp_path: Path) -> None:
    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/t.db"))
    with recording_spans() as spans:
        async with engine.connect() as conn:
            await conn.scalar(text("SELECT 1"))
        await engine.dispose()
    assert spans.all() == []
