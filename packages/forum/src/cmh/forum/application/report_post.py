"""A reader reports a post to the board's moderators."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.kernel.auth.principal import Principal


class ReportPost:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self, principal: Principal, post_id: str, reason: str) -> None:
        thread, _, actor = await self._tools.thread_of_post(post_id, principal)
        thread.report(post_id=post_id, reporter=actor, reason=reason, now=self._tools.clock.now())
        await self._tools.commit(thread)
