"""One session for its learner or an admin (to anyone else it does not exist); the
credentials, opened from the vault, only for its learner and only while it is ready."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.labs.application.access import existing_template, visible_session
from cmh.labs.application.ports import (
    CredentialsVault,
    LabCredentials,
    SessionAccessRepository,
    SessionRepository,
    TemplateRepository,
)
from cmh.labs.application.views import SessionView, session_view
from cmh.labs.domain.session import SessionStatus


class GetSession:
    def __init__(
        self,
        sessions: SessionRepository,
        templates: TemplateRepository,
        access: SessionAccessRepository,
        vault: CredentialsVault,
    ) -> None:
        self._sessions = sessions
        self._templates = templates
        self._access = access
        self._vault = vault

    async def execute(self, principal: Principal, session_id: str) -> SessionView:
        session = await visible_session(self._sessions, session_id, principal)
        template = await existing_template(self._templates, session.template_id)
        access = await self._access.get(session.id)
        credentials: LabCredentials | None = None
        if (
            access is not None
            and session.status is SessionStatus.READY
            and principal.user_id == session.user_id
        ):
            credentials = await self._vault.open(session.id, access.sealed_credentials)
        return session_view(session, template, access=access, credentials=credentials)
