"""A learner launches a lab from a template: entitled by tier and lab hours, one live
session per template; the session is requested and its provisioning queued (202)."""

from __future__ import annotations

import msgspec

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.access import existing_template
from cmh.labs.application.entitlement import ensure_entitled
from cmh.labs.application.ports import (
    Entitlements,
    JobKind,
    LabHoursLedger,
    LabJob,
    LabJobs,
    SessionRepository,
    TemplateRepository,
    WarmPoolRepository,
)
from cmh.labs.application.views import SessionView, session_view
from cmh.labs.domain.session import LabSession, ensure_none_running
from cmh.labs.domain.template import LabTemplate
from cmh.labs.domain.warm_pool import WarmStatus


class LaunchRequest(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    # The template's first allowed region when not given.
    region: str | None = None
    course_id: str | None = None
    lesson_id: str | None = None


class LaunchLab:
    def __init__(
        self,
        templates: TemplateRepository,
        sessions: SessionRepository,
        ledger: LabHoursLedger,
        entitlements: Entitlements,
        jobs: LabJobs,
        pool: WarmPoolRepository,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._pool = pool
        self._templates = templates
        self._sessions = sessions
        self._ledger = ledger
        self._entitlements = entitlements
        self._jobs = jobs
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, request: LaunchRequest) -> SessionView:
        now = self._clock.now()
        user_id = principal.user_id
        async with self._uow:
            template = await existing_template(self._templates, request.template_id)
            allowance = await ensure_entitled(
                self._entitlements, self._ledger, user_id, template, now
            )
            ensure_none_running(
                await self._sessions.for_user(user_id), user_id=user_id, template_id=template.id
            )
            region = request.region or template.allowed_regions[0]
            session = LabSession.request(
                await self._environment_for(template, region),
                user_id=user_id,
                template=template,
                region=region,
                now=now,
                course_id=request.course_id,
                lesson_id=request.lesson_id,
                allowance_hours=allowance.lab_hours_per_month,
            )
            await self._sessions.add(session)
            await self._uow.commit()
        # Queued once the session is stored, so a worker always finds it. For a warm
        # environment the job is a quick pass over what exists that issues the credentials.
        await self._jobs.enqueue(LabJob(kind=JobKind.PROVISION, session_id=session.id))
        return session_view(session, template)

    async def _environment_for(self, template: LabTemplate, region: str) -> str:
        """The session's id: a ready warm environment's when the pool has one (claimed in
        this transaction, so two learners never get the same), else a new one."""
        if template.warm_pool_size > 0:
            now = self._clock.now()
            for environment in await self._pool.waiting(template.id):
                if environment.region != region or not environment.fits(template):
                    continue
                if environment.status is WarmStatus.READY:
                    environment.claim(now)
                    if await self._pool.save_claim(environment):
                        return environment.id
        return self._ids.new_id()
