"""A member replies in a thread (nested one level under ``parent_id``)."""

from __future__ import annotations

from cmh.forum.application.resolve_actor import actor_on
from cmh.forum.application.start_thread import PostingTools
from cmh.forum.domain.errors import ThreadNotFound
from cmh.forum.domain.thread import Post
from cmh.kernel.auth.principal import Principal


class PostReply:
    def __init__(self, tools: PostingTools) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, thread_id: str, body: str, parent_id: str | None = None
    ) -> Post:
        tools = self._tools
        thread = await tools.threads.get(thread_id)
        if thread is None:
            raise ThreadNotFound(f"no thread {thread_id}")
        board = await tools.board(thread.board_id)
        actor = await actor_on(board, principal, tools.members)
        board.ensure_may_post(actor, tools.clock.now())
        text, mentions = await tools.text(principal.user_id, body)
        post = thread.reply(
            post_id=tools.ids.new_id(),
            board=board,
            author=actor,
            body=text,
            mentions=mentions,
            parent_id=parent_id,
            now=tools.clock.now(),
        )
        async with tools.uow:
            await tools.threads.save(thread)
            tools.uow.track(thread)
            await tools.uow.commit()
        return post
