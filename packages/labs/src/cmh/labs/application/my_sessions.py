"""The caller's own lab sessions, newest first."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.labs.application.ports import SessionRepository
from cmh.labs.application.views import SessionSummary, session_summary


class MySessions:
    def __init__(self, sessions: SessionRepository) -> None:
        self._sessions = sessions

    async def execute(self, principal: Principal) -> list[SessionSummary]:
        return [session_summary(s) for s in await self._sessions.for_user(principal.user_id)]
