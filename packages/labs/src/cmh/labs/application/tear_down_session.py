"""The teardown job: everything in the session's environment is deleted, then an
inventory by session tag verifies it. Empty: the session is ended (or failed) and its
lab hours charged; not empty: it is quarantined until a retried teardown comes back
clean. Delivered at least once: a job for a session that is not stopping does nothing."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.errors import Conflict
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.lab_hours_spent import charge_lab_hours
from cmh.labs.application.ports import (
    CloudLabs,
    LabHoursLedger,
    SessionAccessRepository,
    SessionRepository,
)
from cmh.labs.domain.session import LabSession, SessionStatus

_STARTS_TEARDOWN = (SessionStatus.EXPIRING, SessionStatus.QUARANTINED)


class TearDownSession:
    def __init__(
        self,
        sessions: SessionRepository,
        access: SessionAccessRepository,
        ledger: LabHoursLedger,
        clouds: CloudLabs,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._access = access
        self._ledger = ledger
        self._clouds = clouds
        self._uow = uow
        self._clock = clock

    async def execute(self, session_id: str) -> None:
        session = await self._begin(session_id)
        if session is None:
            return
        cloud = self._clouds.for_provider(session.provider)
        await cloud.tear_down(session.id)
        leftovers = len(await cloud.inventory(session.id))
        try:
            await self._finish(session_id, leftovers)
        except Conflict:
            # Two teardown jobs of one session (the learner and an admin both ended it)
            # ran side by side: the other one committed the end and the charge first.
            return

    async def _finish(self, session_id: str, leftovers: int) -> None:
        async with self._uow:
            session = await self._sessions.get(session_id)
            if session is None or session.status is not SessionStatus.TEARING_DOWN:
                return
            now = self._clock.now()
            session.finish_teardown(leftovers, now)
            if session.is_over:
                await charge_lab_hours(self._ledger, session, now)
                await self._access.delete(session.id)
            await self._sessions.save(session)
            await self._uow.commit()

    async def _begin(self, session_id: str) -> LabSession | None:
        async with self._uow:
            session = await self._sessions.get(session_id)
            if session is None or session.is_over:
                return None
            if session.status in _STARTS_TEARDOWN:
                session.begin_teardown(self._clock.now())
                await self._sessions.save(session)
                await self._uow.commit()
            elif session.status is not SessionStatus.TEARING_DOWN:
                return None  # not stopping: a stale or misdirected job
        return session
