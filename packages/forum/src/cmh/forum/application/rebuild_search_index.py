"""Index every stored post again (an in-process index starts empty with each process,
whereas the posts persist)."""

from __future__ import annotations

from cmh.forum.application.index_posts import IndexPosts
from cmh.forum.application.ports import BoardStore, ThreadStore


class RebuildSearchIndex:
    def __init__(self, boards: BoardStore, threads: ThreadStore, index: IndexPosts) -> None:
        self._boards = boards
        self._threads = threads
        self._index = index

    async def execute(self) -> int:
        """Returns how many posts were looked at."""
        seen = 0
        for board in await self._boards.list(None):
            for thread in await self._threads.on_board(board.id):
                for post in thread.posts:
                    await self._index.execute(thread.id, post.id)
                    seen += 1
        return seen
