"""A member opens a thread on a board (spam guard, Markdown, mentions)."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import ThreadSummaryView, thread_summary
from cmh.forum.domain.thread import Thread
from cmh.kernel.auth.principal import Principal


class StartThread:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, board_id: str, title: str, body: str
    ) -> ThreadSummaryView:
        tools = self._tools
        board = await tools.board(board_id)
        actor = await tools.actor(board, principal)
        board.ensure_may_post(actor, tools.clock.now())
        text, mentions = await tools.text(actor, body)
        thread = Thread.start(
            thread_id=tools.ids.new_id(),
            post_id=tools.ids.new_id(),
            board=board,
            author=actor,
            title=title,
            body=text,
            mentions=mentions,
            now=tools.clock.now(),
        )
        await tools.commit(thread)
        return thread_summary(thread)
