"""A learner left a course (``enrollment.cancelled``): they stop following the threads of
its board. Posting there is refused from now on anyway, since courses no longer counts
them as enrolled. Idempotent by state: a learner who follows nothing there changes
nothing."""

from __future__ import annotations

from cmh.forum.application.open_course_board import course_board_id
from cmh.forum.application.tools import ForumTools


class LeaveCourseBoard:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(self, course_id: str, user_id: str) -> int:
        """Returns how many threads the learner stopped following."""
        board = await self._tools.boards.get(course_board_id(course_id))
        if board is None:
            return 0
        followed = [
            thread
            for thread in await self._tools.threads.on_board(board.id)
            if user_id in thread.followers
        ]
        for thread in followed:
            thread.unfollow(user_id)
        if followed:
            await self._tools.commit(*followed)
        return len(followed)
