"""Finds what the cloud still holds for sessions that are over (or never stored), by the
session tag, and removes it; quarantined sessions get their teardown queued again. The
warm pool's waiting environments are not orphans."""

from __future__ import annotations

from cmh.labs.application.ports import (
    CloudLabs,
    JobKind,
    LabJob,
    LabJobs,
    SessionRepository,
    WarmPoolRepository,
)
from cmh.labs.application.views import ReconcileReport
from cmh.labs.domain.session import SessionStatus


class Reconciler:
    def __init__(
        self,
        sessions: SessionRepository,
        pool: WarmPoolRepository,
        clouds: CloudLabs,
        jobs: LabJobs,
    ) -> None:
        self._sessions = sessions
        self._pool = pool
        self._clouds = clouds
        self._jobs = jobs

    async def execute(self) -> ReconcileReport:
        active = await self._sessions.active()
        active_ids = {session.id for session in active}
        active_ids |= {environment.id for environment in await self._pool.waiting()}
        torn_down: list[str] = []
        for provider in self._clouds.providers():
            cloud = self._clouds.for_provider(provider)
            for orphan in await cloud.orphans(active_ids):
                await cloud.tear_down(orphan)
                torn_down.append(orphan)
        for session in active:
            if session.status is SessionStatus.QUARANTINED:
                await self._jobs.enqueue(LabJob(kind=JobKind.TEARDOWN, session_id=session.id))
        return ReconcileReport(torn_down=torn_down)
