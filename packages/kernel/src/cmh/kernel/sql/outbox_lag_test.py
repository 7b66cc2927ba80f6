from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client import REGISTRY
from sqlalchemy import insert, update

from cmh.kernel.clock import FrozenClock
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox_lag import OutboxLag
from cmh.kernel.sql.tables import outbox

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


async def test_pending_rows_and_the_oldest_ones_age(tmp_path: Path) -> None:
    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/lag.db"))
    await upgrade(engine, [KERNEL_MIGRATIONS])
    clock = FrozenClock(T0 + timedelta(seconds=90))
    lag = OutboxLag(make_session_factory(engine), clock)
    try:
        assert await lag.measure() == (0, 0.0)
        async with engine.begin() as conn:
            await conn.execute(
                insert(outbox),
                [
                    {
                        "event_id": f"e-{n}",
                        "topic": "t",
                        "key": "k",
                        "event_type": "x",
                        "payload": b"{}",
                        "created_at": T0 + timedelta(seconds=30 * n),
                        "attempts": 0,
                    }
                    for n in range(3)
                ],
            )
            await conn.execute(
                update(outbox).where(outbox.c.event_id == "e-0").values(published_at=T0)
            )

        assert await lag.measure() == (2, 60.0)  # e-1 (created at +30 s) waits since 60 s
        assert REGISTRY.get_sample_value("cmh_outbox_pending_events") == 2
        assert REGISTRY.get_sample_value("cmh_outbox_oldest_pending_seconds") == 60.0
    finally:
        await engine.dispose()
