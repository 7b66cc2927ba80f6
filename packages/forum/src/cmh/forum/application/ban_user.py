"""A moderator bans a user from a board until a time (or lifts the ban), saying why."""

from __future__ import annotations

from datetime import datetime

from cmh.forum.application.tools import ForumTools
from cmh.kernel.auth.principal import Principal


class BanUser:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, board_id: str, user_id: str, until: datetime, reason: str
    ) -> None:
        board, actor = await self._tools.readable(board_id, principal)
        board.ban(actor, user_id, until, reason, self._tools.clock.now())
        await self._tools.commit(board)


class LiftBan:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self, principal: Principal, board_id: str, user_id: str, reason: str) -> None:
        board, actor = await self._tools.readable(board_id, principal)
        board.lift_ban(actor, user_id, reason, self._tools.clock.now())
        await self._tools.commit(board)
