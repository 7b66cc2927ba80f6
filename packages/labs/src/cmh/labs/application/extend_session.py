"""The learner adds time to a ready session, within the template's extension limit."""

from __future__ import annotations

from datetime import timedelta

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.access import existing_template, own_session
from cmh.labs.application.ports import SessionRepository, TemplateRepository
from cmh.labs.application.views import SessionSummary, session_summary


class ExtendSession:
    def __init__(
        self,
        sessions: SessionRepository,
        templates: TemplateRepository,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._templates = templates
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, session_id: str, minutes: int) -> SessionSummary:
        async with self._uow:
            session = await own_session(self._sessions, session_id, principal)
            template = await existing_template(self._templates, session.template_id)
            session.extend(timedelta(minutes=minutes), self._clock.now(), template.max_extension)
            await self._sessions.save(session)
            await self._uow.commit()
        return session_summary(session)
