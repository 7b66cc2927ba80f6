"""The thread's author or an instructor marks a reply as the accepted answer."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import ThreadSummaryView, thread_summary
from cmh.kernel.auth.principal import Principal


class AcceptAnswer:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, thread_id: str, post_id: str
    ) -> ThreadSummaryView:
        thread, _, actor = await self._tools.thread(thread_id, principal)
        thread.accept(post_id=post_id, actor=actor, now=self._tools.clock.now())
        await self._tools.commit(thread)
        return thread_summary(thread)
