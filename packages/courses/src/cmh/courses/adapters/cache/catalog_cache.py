"""The catalog cache over the kernel ``Cache`` port (Redis or process memory).

Pages depend on many courses, so any course write drops every page; a course's detail
is dropped on its own writes.
"""

from __future__ import annotations

from cmh.kernel.cache import Cache

PAGES = "courses:catalog:page:"
DETAILS = "courses:catalog:course:"


class CachedCatalog:
    def __init__(self, cache: Cache, *, ttl_seconds: int = 300) -> None:
        self._cache = cache
        self._ttl = ttl_seconds

    async def get_page(self, key: str) -> bytes | None:
        return await self._cache.get(PAGES + key)

    async def put_page(self, key: str, body: bytes) -> None:
        await self._cache.set(PAGES + key, body, self._ttl)

    async def get_course(self, course_id: str) -> bytes | None:
        return await self._cache.get(DETAILS + course_id)

    async def put_course(self, course_id: str, body: bytes) -> None:
        await self._cache.set(DETAILS + course_id, body, self._ttl)

    async def invalidate(self, course_id: str) -> None:
        # The port deletes by prefix only; dropping "c-1" also drops "c-10", which is harmless.
        await self._cache.delete_prefix(DETAILS + course_id)
        await self._cache.delete_prefix(PAGES)
