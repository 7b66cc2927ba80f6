"""A board's threads, a page at a time: pinned first, then by ``sort`` (``activity``, the
latest activity first, or ``new``, the newest first); the cursor is the last row's key.
Each thread says whether it has anything the reader has not read."""

from __future__ import annotations

from cmh.forum.application.cursor import checked_limit, decode_cursor, encode_cursor
from cmh.forum.application.ports import ReadMarks
from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import ThreadPage, thread_summary
from cmh.forum.domain.errors import InvalidPost
from cmh.forum.domain.thread import Thread
from cmh.kernel.auth.principal import Principal

SORTS = ("activity", "new")


def _key(thread: Thread, sort: str) -> list[str | int | float]:
    when = thread.last_activity_at if sort == "activity" else thread.created_at
    # Ascending order of this key is the page order.
    return [0 if thread.pinned else 1, -when.timestamp(), thread.id]


class ListThreads:
    def __init__(self, tools: ForumTools, marks: ReadMarks) -> None:
        self._tools = tools
        self._marks = marks

    async def execute(
        self,
        principal: Principal,
        board_id: str,
        cursor: str | None = None,
        sort: str = "activity",
        limit: int = 20,
    ) -> ThreadPage:
        if sort not in SORTS:
            raise InvalidPost(f"sort is one of {list(SORTS)}", field="sort")
        limit = checked_limit(limit)
        after = decode_cursor(cursor)
        await self._tools.readable(board_id, principal)
        ordered = sorted(
            (t for t in await self._tools.threads.on_board(board_id) if t.opening.visible),
            key=lambda t: _key(t, sort),
        )
        if after is not None:
            ordered = [t for t in ordered if _key(t, sort) > after]
        page = ordered[:limit]
        more = len(ordered) > limit
        read = await self._marks.last_read(principal.user_id, [t.id for t in page])
        return ThreadPage(
            items=[
                thread_summary(t, unread=t.id not in read or read[t.id] < t.last_activity_at)
                for t in page
            ],
            next_cursor=encode_cursor(_key(page[-1], sort)) if more else None,
        )
