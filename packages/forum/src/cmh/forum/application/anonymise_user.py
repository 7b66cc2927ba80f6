"""An erased user's posts stay, attributed to nobody; their reactions, reports and
follows go."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools

ERASED_AUTHOR = "erased-user"


class AnonymiseUser:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self, user_id: str) -> None:
        threads = await self._tools.threads.with_user(user_id)
        for thread in threads:
            thread.anonymise(user_id, ERASED_AUTHOR)
        if threads:
            await self._tools.commit(*threads)
