"""A reader reacts to a post (one reaction per user per kind) or takes it back."""

from __future__ import annotations

from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import PostView, post_view
from cmh.kernel.auth.principal import Principal


class ReactToPost:
    def __init__(self, tools: ForumTools) -> None:
        self._tools = tools

    async def execute(
        self, principal: Principal, post_id: str, kind: str, *, remove: bool = False
    ) -> PostView:
        thread, _, actor = await self._tools.thread_of_post(post_id, principal)
        if remove:
            thread.unreact(post_id=post_id, user_id=principal.user_id, kind=kind)
        else:
            thread.react(post_id=post_id, user_id=principal.user_id, kind=kind)
        await self._tools.commit(thread)
        return post_view(
            thread, thread.post(post_id), moderator=actor.moderator, reader_id=principal.user_id
        )
