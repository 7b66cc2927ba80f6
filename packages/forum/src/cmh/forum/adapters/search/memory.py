"""Post search in process (unit tests, the memory profile): every word must appear."""

from __future__ import annotations

import re

from cmh.forum.application.ports import PostDocument, SearchHit

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


class MemoryPostSearch:
    def __init__(self) -> None:
        self._documents: dict[str, PostDocument] = {}

    async def index(self, document: PostDocument) -> None:
        self._documents[document.post_id] = document

    async def remove(self, post_id: str) -> None:
        self._documents.pop(post_id, None)

    async def search(self, text: str, board_id: str | None, limit: int) -> list[SearchHit]:
        wanted = _words(text)
        scored = []
        for d in self._documents.values():
            if board_id and d.board_id != board_id:
                continue
            title, body = _words(d.title), _words(d.body)
            if wanted and wanted <= title | body:
                scored.append((-len(wanted & title), -d.created_at.timestamp(), d))
        scored.sort(key=lambda s: (s[0], s[1], s[2].post_id))
        return [
            SearchHit(post_id=d.post_id, thread_id=d.thread_id, board_id=d.board_id, title=d.title)
            for _, _, d in scored[:limit]
        ]
