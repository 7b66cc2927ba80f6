"""The author (or a moderator) edits a post; the old text goes to its history."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import PostView, post_view
from cmh.kernel.auth.principal import Principal


class EditPost:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, post_id: str, body: str, title: str | None = None
    ) -> PostView:
        tools = self._tools
        thread, _, actor = await tools.thread_of_post(post_id, principal)
        post = thread.edit(
            post_id=post_id,
            editor=actor,
            body=tools.render(body),
            title=title,
            mentions=await tools.mentions(body),
            now=tools.clock.now(),
        )
        await tools.commit(thread)
        return post_view(thread, post, moderator=actor.moderator, reader_id=principal.user_id)
