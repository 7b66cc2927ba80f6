"""The learner checks their work: every task's check runs against what the session's
environment holds now; the session keeps its best grade (-> lab.task_validated)."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.access import existing_template, own_session
from cmh.labs.application.ports import CloudLabs, SessionRepository, TemplateRepository
from cmh.labs.application.views import ValidationView, validation_view
from cmh.labs.domain.checks import grade
from cmh.labs.domain.errors import IllegalTransition
from cmh.labs.domain.session import SessionStatus


class ValidateSession:
    def __init__(
        self,
        sessions: SessionRepository,
        templates: TemplateRepository,
        clouds: CloudLabs,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._templates = templates
        self._clouds = clouds
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, session_id: str) -> ValidationView:
        session = await own_session(self._sessions, session_id, principal)
        if session.status is not SessionStatus.READY:
            raise IllegalTransition(
                f"only a ready session can be validated; it is {session.status}"
            )
        template = await existing_template(self._templates, session.template_id)
        # Observed outside the transaction: the cloud may take seconds to answer.
        inventory = await self._clouds.for_provider(session.provider).observe(session.id)
        result = grade(template.tasks, inventory)
        async with self._uow:
            session = await own_session(self._sessions, session_id, principal)
            session.record_validation(result, self._clock.now())
            await self._sessions.save(session)
            await self._uow.commit()
        return validation_view(session, result)
