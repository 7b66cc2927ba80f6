"""A learner launches a lab from a template: entitled by tier and lab hours, one live
session per template; the session is requested and its provisioning queued (202)."""

from __future__ import annotations

import msgspec

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.access import existing_template
from cmh.labs.application.entitlement import ensure_entitled
from cmh.labs.application.integration_events import publish_recorded
from cmh.labs.application.ports import (
    Entitlements,
    JobKind,
    LabHoursLedger,
    LabJob,
    LabJobs,
    SessionRepository,
    TemplateRepository,
)
from cmh.labs.application.views import SessionView, session_view
from cmh.labs.domain.session import LabSession, ensure_none_running


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
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
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
            await ensure_entitled(self._entitlements, self._ledger, user_id, template, now)
            ensure_none_running(
                await self._sessions.for_user(user_id), user_id=user_id, template_id=template.id
            )
            session = LabSession.request(
                self._ids.new_id(),
                user_id=user_id,
                template=template,
                region=request.region or template.allowed_regions[0],
                now=now,
                course_id=request.course_id,
                lesson_id=request.lesson_id,
            )
            await self._sessions.add(session)
            publish_recorded(session, self._uow)
            await self._uow.commit()
        # Queued once the session is stored, so a worker always finds it.
        await self._jobs.enqueue(LabJob(kind=JobKind.PROVISION, session_id=session.id))
        return session_view(session, template)
