"""GDPR erasure: the user's live sessions are stopped (their teardowns queued) and every
sealed credential of theirs is dropped, once per erasure event. Finished sessions and
ledger entries stay as the platform's accounting of cost and hours."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.ports import (
    JobKind,
    LabJob,
    LabJobs,
    SessionAccessRepository,
    SessionRepository,
)
from cmh.labs.domain.session import SessionStatus

ERASED = "user_erasure"


class HandleUserErasure:
    def __init__(
        self,
        sessions: SessionRepository,
        access: SessionAccessRepository,
        jobs: LabJobs,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._access = access
        self._jobs = jobs
        self._uow = uow
        self._clock = clock

    async def execute(self, user_id: str) -> None:
        stopping: list[str] = []
        async with self._uow:
            now = self._clock.now()
            for session in await self._sessions.for_user(user_id):
                await self._access.delete(session.id)
                if session.is_over:
                    continue
                if session.status is SessionStatus.READY:
                    session.expire(now, ERASED)
                elif session.status in (SessionStatus.REQUESTED, SessionStatus.PROVISIONING):
                    session.fail(now, ERASED)
                await self._sessions.save(session)
                stopping.append(session.id)
            await self._uow.commit()
        for session_id in stopping:
            await self._jobs.enqueue(LabJob(kind=JobKind.TEARDOWN, session_id=session_id))
