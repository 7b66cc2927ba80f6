"""Admins list every session, or those in one status, newest first."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.labs.application.access import ensure_admin
from cmh.labs.application.ports import SessionRepository
from cmh.labs.application.views import SessionSummary, session_summary
from cmh.labs.domain.session import SessionStatus


class AdminListSessions:
    def __init__(self, sessions: SessionRepository) -> None:
        self._sessions = sessions

    async def execute(
        self, principal: Principal, status: SessionStatus | None = None
    ) -> list[SessionSummary]:
        ensure_admin(principal)
        return [session_summary(s) for s in await self._sessions.with_status(status)]
