"""A moderator locks or pins a thread (or undoes it), saying why (audited)."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import ThreadSummaryView, thread_summary
from cmh.forum.domain.errors import InvalidPost
from cmh.kernel.auth.principal import Principal

ACTIONS = ("lock", "unlock", "pin", "unpin")


class ModerateThread:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, thread_id: str, action: str, reason: str
    ) -> ThreadSummaryView:
        if action not in ACTIONS:
            raise InvalidPost(f"action is one of {list(ACTIONS)}", field="action")
        thread, _, actor = await self._tools.thread(thread_id, principal)
        now = self._tools.clock.now()
        if action in ("lock", "unlock"):
            thread.lock(moderator=actor, locked=action == "lock", reason=reason, now=now)
        else:
            thread.pin(moderator=actor, pinned=action == "pin", reason=reason, now=now)
        await self._tools.commit(thread)
        return thread_summary(thread)
