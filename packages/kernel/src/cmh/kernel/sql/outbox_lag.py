"""Outbox lag as Prometheus gauges: how many events wait to be published and for how long
(a broker outage shows here first: the APIs keep accepting writes, the rows pile up)."""

from __future__ import annotations

from datetime import UTC

from prometheus_client import Gauge
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.kernel.clock import Clock
from cmh.kernel.sql.tables import outbox

PENDING = Gauge("cmh_outbox_pending_events", "Outbox rows not yet published to the broker")
OLDEST = Gauge(
    "cmh_outbox_oldest_pending_seconds", "Age of the oldest unpublished outbox row (0: none)"
)


class OutboxLag:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def measure(self) -> tuple[int, float]:
        """Sets the gauges; returns (pending rows, age of the oldest in seconds)."""
        async with self._sessions() as session:
            pending, oldest = (
                await session.execute(
                    select(func.count(), func.min(outbox.c.created_at)).where(
                        outbox.c.published_at.is_(None)
                    )
                )
            ).one()
        age = 0.0
        if oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            age = max(0.0, (self._clock.now() - oldest).total_seconds())
        PENDING.set(pending)
        OLDEST.set(age)
        return int(pending), age
