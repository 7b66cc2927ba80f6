"""A published course gets its board (once; a republished course keeps it)."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.forum.domain.board import Board


def course_board_id(course_id: str) -> str:
    return f"course-{course_id}"


class OpenCourseBoard:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self, course_id: str, title: str) -> None:
        board_id = course_board_id(course_id)
        if await self._tools.boards.get(board_id) is not None:
            return
        board = Board.open(board_id, course_id, title, self._tools.clock.now())
        await self._tools.commit(board)


class OpenGeneralBoard:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self) -> None:
        if await self._tools.boards.get("general") is None:
            await self._tools.commit(Board.general(self._tools.clock.now()))
