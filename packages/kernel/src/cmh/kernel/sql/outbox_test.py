"""The relay publishes a backlog in large batches, in order, and marks what it sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from cmh.kernel.clock import FrozenClock
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import LocalLease, OutboxRelay, OutboxWakeup
from cmh.kernel.sql.tables import outbox

NOW = datetime(2026, 1, 1, tzinfo=UTC)


class KeepingPublisher:
    def __init__(self) -> None:
        self.batches: list[list[OutgoingMessage]] = []

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        self.batches.append(list(messages))


async def test_a_thousand_pending_events_go_out_in_one_batch(tmp_path: Path) -> None:
    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/outbox.db"))
    await upgrade(engine, [KERNEL_MIGRATIONS])
    async with engine.begin() as conn:
        await conn.execute(
            insert(outbox),
            [
                {
                    "event_id": f"e-{n}",
                    "topic": "t",
                    "key": f"k{n % 7}",
                    "event_type": "test.happened",
                    "payload": b"{}",
                    "created_at": NOW,
                    "attempts": 0,
                }
                for n in range(1001)
            ],
        )
    publisher = KeepingPublisher()
    relay = OutboxRelay(
        make_session_factory(engine), publisher, LocalLease(), FrozenClock(NOW), OutboxWakeup()
    )

    assert await relay.run_once() == 1000
    assert await relay.drain() == 1
    assert [len(batch) for batch in publisher.batches] == [1000, 1]
    sent = [m.headers["ce_id"] for batch in publisher.batches for m in batch]
    assert sent == [f"e-{n}" for n in range(1001)]
    async with engine.connect() as conn:
        pending = await conn.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        )
    assert pending == 0
    await engine.dispose()
