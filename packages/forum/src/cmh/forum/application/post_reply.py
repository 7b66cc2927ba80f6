"""A member replies in a thread (nested one level under ``parent_id``)."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import PostView, post_view
from cmh.kernel.auth.principal import Principal


class PostReply:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, thread_id: str, body: str, parent_id: str | None = None
    ) -> PostView:
        tools = self._tools
        thread, board, actor = await tools.thread(thread_id, principal)
        board.ensure_may_post(actor, tools.clock.now())
        text, mentions = await tools.text(actor, body)
        post = thread.reply(
            post_id=tools.ids.new_id(),
            board=board,
            author=actor,
            body=text,
            mentions=mentions,
            parent_id=parent_id,
            now=tools.clock.now(),
        )
        await tools.commit(thread)
        return post_view(thread, post, moderator=actor.moderator, reader_id=principal.user_id)
