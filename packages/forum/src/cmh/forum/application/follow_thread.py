"""A reader follows a thread (or stops)."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.kernel.auth.principal import Principal


class FollowThread:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self, principal: Principal, thread_id: str, *, follow: bool = True) -> None:
        thread, _, _ = await self._tools.thread(thread_id, principal)
        if follow:
            thread.follow(principal.user_id)
        else:
            thread.unfollow(principal.user_id)
        await self._tools.commit(thread)
