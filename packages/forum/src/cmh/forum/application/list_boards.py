"""The boards a principal may read: the general board and the boards of their courses."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import BoardView, board_view
from cmh.kernel.auth.principal import Principal


class ListBoards:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self, principal: Principal, course_id: str | None) -> list[BoardView]:
        readable = []
        for board in await self._tools.boards.list(course_id):
            actor = await self._tools.actor(board, principal)
            if actor.member or actor.moderator:
                readable.append(board_view(board))
        return sorted(readable, key=lambda b: (b.course_id is not None, b.title, b.id))
