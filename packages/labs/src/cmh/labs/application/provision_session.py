"""The provisioning job: requested -> provisioning -> ready, with the learner's access
sealed; a failure gives up (tearing_down, then failed) and queues the teardown.

Delivered at least once: a job for a session that is no longer being provisioned does
nothing, and the cloud adapter finishes a provisioning cut short without duplicates.
The cloud is called outside any transaction."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.errors import DependencyUnavailable
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.ports import (
    CloudLabs,
    CredentialsVault,
    JobKind,
    LabJob,
    LabJobs,
    ProvisionedLab,
    SessionAccess,
    SessionAccessRepository,
    SessionRepository,
    TemplateRepository,
)
from cmh.labs.domain.session import LabSession, SessionStatus
from cmh.labs.domain.template import LabTemplate

_PROVISIONABLE = (SessionStatus.REQUESTED, SessionStatus.PROVISIONING)


class ProvisionSession:
    def __init__(
        self,
        sessions: SessionRepository,
        templates: TemplateRepository,
        access: SessionAccessRepository,
        clouds: CloudLabs,
        vault: CredentialsVault,
        jobs: LabJobs,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._templates = templates
        self._access = access
        self._clouds = clouds
        self._vault = vault
        self._jobs = jobs
        self._uow = uow
        self._clock = clock

    async def execute(self, session_id: str) -> None:
        started = await self._start(session_id)
        if started is None:
            return
        session, template = started
        if template is None:
            await self._give_up(session_id, f"template {session.template_id} is gone")
            return
        try:
            lab = await self._clouds.for_provider(session.provider).provision(
                session.id, template, session.region
            )
            sealed = await self._vault.seal(session.id, lab.credentials)
        except DependencyUnavailable:
            raise  # the queue delivers the job again later
        except Exception as error:
            await self._give_up(session_id, f"provisioning failed: {error}")
            return
        await self._finish(session_id, template, lab, sealed)

    async def _start(self, session_id: str) -> tuple[LabSession, LabTemplate | None] | None:
        async with self._uow:
            session = await self._sessions.get(session_id)
            if session is None or session.status not in _PROVISIONABLE:
                return None
            template = await self._templates.get(session.template_id)
            if session.status is SessionStatus.REQUESTED:
                session.start_provisioning(self._clock.now())
                await self._sessions.save(session)
                await self._uow.commit()
        return session, template

    async def _finish(
        self, session_id: str, template: LabTemplate, lab: ProvisionedLab, sealed: bytes
    ) -> None:
        async with self._uow:
            session = await self._sessions.get(session_id)
            if session is None or session.status is not SessionStatus.PROVISIONING:
                return  # ended meanwhile: its teardown removes what was made
            session.mark_ready(self._clock.now(), template.time_limit)
            await self._access.put(
                SessionAccess(
                    session_id=session.id,
                    account_id=lab.account_id,
                    region=lab.region,
                    endpoint=lab.endpoint,
                    console_url=lab.console_url,
                    sealed_credentials=sealed,
                    expires_at=lab.credentials.expires_at,
                )
            )
            await self._sessions.save(session)
            await self._uow.commit()

    async def _give_up(self, session_id: str, reason: str) -> None:
        async with self._uow:
            session = await self._sessions.get(session_id)
            if session is None or session.status not in _PROVISIONABLE:
                return
            session.fail(self._clock.now(), reason)
            await self._sessions.save(session)
            await self._uow.commit()
        await self._jobs.enqueue(LabJob(kind=JobKind.TEARDOWN, session_id=session_id))
