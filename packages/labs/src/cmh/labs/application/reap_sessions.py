"""One pass over the ready sessions (run at least every minute): the cost so far from the
price-table meter over each session's inventory, the stop at the budget cap, the warning
before expiry and the stop at the time limit. Each stop queues the teardown. ``now`` is
the Clock's; each session is settled in its own transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.ports import (
    CloudLabs,
    JobKind,
    LabJob,
    LabJobs,
    MeterReadings,
    SessionRepository,
)
from cmh.labs.application.views import ReaperReport
from cmh.labs.domain.cost import MeterReading, PriceTable
from cmh.labs.domain.session import LabSession, SessionStatus

TIME_LIMIT = "time_limit"


class LabSessionReaper:
    def __init__(
        self,
        sessions: SessionRepository,
        readings: MeterReadings,
        clouds: CloudLabs,
        prices: PriceTable,
        jobs: LabJobs,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._readings = readings
        self._clouds = clouds
        self._prices = prices
        self._jobs = jobs
        self._uow = uow
        self._clock = clock

    async def execute(self) -> ReaperReport:
        warned: list[str] = []
        expired: list[str] = []
        capped: list[str] = []
        metered: dict[str, Decimal] = defaultdict(Decimal)
        for candidate in await self._sessions.active():
            if candidate.status is not SessionStatus.READY:
                continue
            resources = await self._clouds.for_provider(candidate.provider).inventory(candidate.id)
            now = self._clock.now()
            async with self._uow:
                session = await self._sessions.get(candidate.id)
                if session is None or session.status is not SessionStatus.READY:
                    continue
                reading = await self._readings.get(session.id)
                if reading is None:
                    start = session.ready_at or now
                    reading = MeterReading.start(start, resources, self._prices)
                reading = reading.advance(now, resources, self._prices)
                await self._readings.put(session.id, reading)
                cost_before = session.cost_usd
                outcome = self._settle(session, reading, now)
                await self._sessions.save(session)
                await self._uow.commit()
            metered[str(session.provider)] += session.cost_usd - cost_before
            if outcome == "capped":
                capped.append(session.id)
            elif outcome == "expired":
                expired.append(session.id)
            elif outcome == "warned":
                warned.append(session.id)
            if outcome in ("capped", "expired"):
                await self._jobs.enqueue(LabJob(kind=JobKind.TEARDOWN, session_id=session.id))
        return ReaperReport(
            warned=warned, expired=expired, capped=capped, metered_usd=dict(metered)
        )

    @staticmethod
    def _settle(session: LabSession, reading: MeterReading, now: datetime) -> str | None:
        if session.accrue_cost(reading.total_usd, now):
            return "capped"
        if session.due_for_expiry(now):
            session.expire(now, TIME_LIMIT)
            return "expired"
        if session.warn_due(now):
            session.warn_expiry(now)
            return "warned"
        return None
