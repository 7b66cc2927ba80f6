"""The learner ends their session early, or an admin forces any session down; either way
the teardown is queued (202). Asking again while it stops queues the teardown again,
which is harmless, and a session already over is answered as it is."""

from __future__ import annotations

from datetime import datetime

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import Conflict
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.access import visible_session
from cmh.labs.application.ports import JobKind, LabJob, LabJobs, SessionRepository
from cmh.labs.application.views import SessionSummary, session_summary
from cmh.labs.domain.session import LabSession, SessionStatus

FORCED = "forced by an admin"
# Saves lost to a concurrent move of the session before the end is refused (409).
MAX_ATTEMPTS = 3


def _stop(session: LabSession, principal: Principal, now: datetime) -> None:
    if principal.user_id == session.user_id:
        session.end_by_learner(now)
    elif session.status is SessionStatus.READY:
        session.expire(now, FORCED)
    else:
        session.fail(now, FORCED)


class EndSession:
    def __init__(
        self, sessions: SessionRepository, jobs: LabJobs, uow: UnitOfWork, clock: Clock
    ) -> None:
        self._sessions = sessions
        self._jobs = jobs
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, session_id: str) -> SessionSummary:
        # A provisioning job may move the session between our read and our save: read it
        # again and decide again, rather than refuse the learner's end.
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await self._end(principal, session_id)
            except Conflict as conflict:
                if conflict.code != "concurrent_update" or attempt == MAX_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    async def _end(self, principal: Principal, session_id: str) -> SessionSummary:
        async with self._uow:
            session = await visible_session(self._sessions, session_id, principal)
            if session.is_over:
                return session_summary(session)
            if session.status in (
                SessionStatus.REQUESTED,
                SessionStatus.PROVISIONING,
                SessionStatus.READY,
            ):
                _stop(session, principal, self._clock.now())
                await self._sessions.save(session)
                await self._uow.commit()
        await self._jobs.enqueue(LabJob(kind=JobKind.TEARDOWN, session_id=session.id))
        return session_summary(session)
