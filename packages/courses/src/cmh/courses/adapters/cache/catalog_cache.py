"""The catalog cache over the kernel ``Cache`` port (Redis or process memory).

Pages depend on many courses, so any course write drops every page; a course's detail
is dropped on its own writes. Entries are the read models encoded as JSON.
"""

from __future__ import annotations

import msgspec

from cmh.courses.application.views import CatalogPage, CourseView
from cmh.kernel.cache import Cache

PAGES = "courses:catalog:page:"
DETAILS = "courses:catalog:course:"

_encode = msgspec.json.Encoder().encode
_pages = msgspec.json.Decoder(CatalogPage)
_courses = msgspec.json.Decoder(CourseView)


class CachedCatalog:
    def __init__(self, cache: Cache, *, ttl_seconds: int = 300) -> None:
        self._cache = cache
        self._ttl = ttl_seconds

    async def get_page(self, key: str) -> CatalogPage | None:
        body = await self._cache.get(PAGES + key)
        return None if body is None else _pages.decode(body)

    async def put_page(self, key: str, page: CatalogPage) -> None:
        await self._cache.set(PAGES + key, _encode(page), self._ttl)

    async def get_course(self, course_id: str) -> CourseView | None:
        body = await self._cache.get(DETAILS + course_id)
        return None if body is None else _courses.decode(body)

    async def put_course(self, course_id: str, course: CourseView) -> None:
        await self._cache.set(DETAILS + course_id, _encode(course), self._ttl)

    async def invalidate(self, course_id: str) -> None:
        # The port deletes by prefix only; dropping "c-1" also drops "c-10", which is harmless.
        await self._cache.delete_prefix(DETAILS + course_id)
        await self._cache.delete_prefix(PAGES)
