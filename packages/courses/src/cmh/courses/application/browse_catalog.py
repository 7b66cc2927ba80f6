"""The public catalog: published courses only, searchable, faceted, paged by cursor."""

from __future__ import annotations

import msgspec

from cmh.courses.application.cursor import decode_cursor, encode_cursor
from cmh.courses.application.ports import CatalogCache, CourseSearch, SearchQuery
from cmh.courses.application.views import CatalogPage

MAX_PAGE = 50


class CatalogQuery(msgspec.Struct, frozen=True, kw_only=True):
    text: str | None = None
    provider: str | None = None
    level: str | None = None
    tag: str | None = None
    cursor: str | None = None
    limit: int = 20


class BrowseCatalog:
    def __init__(self, search: CourseSearch, cache: CatalogCache) -> None:
        self._search = search
        self._cache = cache

    async def execute(self, query: CatalogQuery) -> CatalogPage:
        offset = decode_cursor(query.cursor)
        limit = max(1, min(query.limit, MAX_PAGE))
        text = " ".join((query.text or "").split()) or None
        tag = query.tag.strip().lower() if query.tag else None
        key = msgspec.json.encode([text, query.provider, query.level, tag, offset, limit]).decode()
        if (cached := await self._cache.get_page(key)) is not None:
            return cached
        result = await self._search.search(
            SearchQuery(
                text=text,
                provider=query.provider,
                level=query.level,
                tag=tag,
                offset=offset,
                limit=limit,
            )
        )
        following = offset + len(result.documents)
        page = CatalogPage(
            items=result.documents,
            facets=result.facets,
            next_cursor=encode_cursor(following) if following < result.total else None,
        )
        await self._cache.put_page(key, page)
        return page
