"""Course search in process memory: tests and the embedded profile.

Every word of the text must start a word of the title, summary or tags; title hits rank
above the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cmh.courses.adapters.search.facets import count_facets
from cmh.courses.application.ports import CourseDocument, SearchQuery, SearchResult

_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _hits(term: str, words: list[str]) -> int:
    return sum(1 for word in words if word.startswith(term))


class MemoryCourseSearch:
    def __init__(self) -> None:
        self.documents: dict[str, CourseDocument] = {}

    async def index(self, document: CourseDocument) -> None:
        self.documents[document.id] = document

    async def index_all(self, documents: Sequence[CourseDocument]) -> None:
        for document in documents:
            await self.index(document)

    async def remove(self, course_id: str) -> None:
        self.documents.pop(course_id, None)

    def _score(self, document: CourseDocument, terms: list[str]) -> float | None:
        title = _words(document.title)
        rest = _words(" ".join([document.summary, *document.tags]))
        score = 0.0
        for term in terms:
            title_hits, rest_hits = _hits(term, title), _hits(term, rest)
            if not title_hits and not rest_hits:
                return None
            score += 2 * title_hits + rest_hits
        return score

    async def search(self, query: SearchQuery) -> SearchResult:
        terms = _words(query.text or "")
        scored: list[tuple[float, CourseDocument]] = []
        for document in self.documents.values():
            if query.provider and document.provider != query.provider:
                continue
            if query.level and document.level != query.level:
                continue
            if query.tag and query.tag not in document.tags:
                continue
            score = self._score(document, terms)
            if score is not None:
                scored.append((score, document))
        scored.sort(key=lambda pair: (-pair[0], pair[1].title.lower(), pair[1].id))
        matches = [document for _, document in scored]
        return SearchResult(
            documents=matches[query.offset : query.offset + query.limit],
            total=len(matches),
            facets=count_facets(matches),
        )
