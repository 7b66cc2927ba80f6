"""A thread with a page of its posts in order (the opening post first). Reading a page
marks the thread read up to the latest post on it (the reader's unread marker)."""

from __future__ import annotations

from cmh.forum.application.cursor import checked_limit, decode_cursor, encode_cursor
from cmh.forum.application.ports import ReadMarks
from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import ThreadView, post_view, thread_summary
from cmh.kernel.auth.principal import Principal


class GetThread:
    def __init__(self, tools: ForumTools, marks: ReadMarks) -> None:
        self._tools = tools
        self._marks = marks

    async def execute(
        self, principal: Principal, thread_id: str, cursor: str | None = None, limit: int = 50
    ) -> ThreadView:
        limit = checked_limit(limit)
        after = decode_cursor(cursor)
        thread, _, actor = await self._tools.thread(thread_id, principal)
        start = int(after[0]) if after else 0
        page = thread.posts[start : start + limit]
        more = start + limit < len(thread.posts)
        if page:
            seen = max(p.edited_at or p.created_at for p in page)
            await self._marks.mark_read(
                principal.user_id, thread.id, thread.last_activity_at if not more else seen
            )
        return ThreadView(
            thread=thread_summary(thread),
            following=principal.user_id in thread.followers,
            may_accept=thread.may_accept(actor),
            posts=[
                post_view(thread, p, moderator=actor.moderator, reader_id=principal.user_id)
                for p in page
            ],
            next_cursor=encode_cursor([start + limit]) if more else None,
        )
