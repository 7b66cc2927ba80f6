"""Search the posts of the boards the principal may read."""

from __future__ import annotations

from cmh.forum.application.ports import PostSearch
from cmh.forum.application.tools import ForumTools
from cmh.forum.application.views import SearchHitView, SearchView
from cmh.forum.domain.errors import BoardNotFound, InvalidPost
from cmh.kernel.auth.principal import Principal


class SearchPosts:
    def __init__(self, tools: ForumTools, search: PostSearch) -> None:
        self._tools = tools
        self._search = search

    async def execute(
        self, principal: Principal, text: str, board_id: str | None = None, limit: int = 20
    ) -> SearchView:
        if len(text) > 200:
            raise InvalidPost("a search has at most 200 characters", field="q")
        words = text.strip()
        if not words:
            return SearchView(items=[])  # only spaces: nothing to look for, nothing found
        if board_id:
            await self._tools.readable(board_id, principal)
        readable: dict[str, bool] = {}
        items = []
        for hit in await self._search.search(words, board_id, limit * 2):
            if hit.board_id not in readable:
                try:
                    await self._tools.readable(hit.board_id, principal)
                    readable[hit.board_id] = True
                except BoardNotFound:
                    readable[hit.board_id] = False
            if readable[hit.board_id]:
                items.append(
                    SearchHitView(
                        post_id=hit.post_id,
                        thread_id=hit.thread_id,
                        board_id=hit.board_id,
                        title=hit.title,
                    )
                )
        return SearchView(items=items[:limit])
