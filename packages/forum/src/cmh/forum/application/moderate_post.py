"""A moderator hides a post (or shows it again), saying why (audited)."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.kernel.auth.principal import Principal


class ModeratePost:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self, principal: Principal, post_id: str, *, hide: bool, reason: str) -> None:
        thread, _, actor = await self._tools.thread_of_post(post_id, principal)
        now = self._tools.clock.now()
        if hide:
            thread.hide(post_id=post_id, moderator=actor, reason=reason, now=now)
        else:
            thread.unhide(post_id=post_id, moderator=actor, reason=reason, now=now)
        await self._tools.commit(thread)
