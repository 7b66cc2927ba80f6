"""The catalog cache over the kernel's memory cache and over real Redis."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from cmh.courses.adapters.cache.catalog_cache import CachedCatalog
from cmh.courses.application.ports import Facets
from cmh.courses.application.views import CatalogPage, CourseView
from cmh.kernel.cache import MemoryCache, RedisCache
from cmh_testing.kernel.servers import redis_url


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.integration)])
async def catalog(request: pytest.FixtureRequest) -> AsyncIterator[CachedCatalog]:
    if request.param == "memory":
        yield CachedCatalog(MemoryCache())
        return
    client = Redis.from_url(redis_url())
    namespace = f"cmh:test:{secrets.token_hex(4)}:"
    try:
        yield CachedCatalog(RedisCache(client, namespace=namespace))
    finally:
        async for key in client.scan_iter(match=namespace + "*"):
            await client.delete(key)
        await client.aclose()  # types-redis predates aclose


def _page(cursor: str) -> CatalogPage:
    return CatalogPage(
        items=[], facets=Facets(provider={"aws": 1}, level={}, tags={}), next_cursor=cursor
    )


def _course(course_id: str) -> CourseView:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    return CourseView(
        id=course_id,
        owner_id="u-1",
        title="Cloud basics",
        summary="",
        provider="aws",
        level="beginner",
        tags=["vpc"],
        prerequisites=[],
        status="published",
        estimated_minutes=30,
        modules=[],
        created_at=moment,
        updated_at=moment,
        published_at=moment,
    )


async def test_a_write_drops_every_page_and_that_course_only(catalog: CachedCatalog) -> None:
    await catalog.put_page('["aws"]', _page("aws"))
    await catalog.put_page('["gcp"]', _page("gcp"))
    await catalog.put_course("course-a", _course("course-a"))
    await catalog.put_course("course-b", _course("course-b"))
    assert await catalog.get_page('["aws"]') == _page("aws")  # decoded back as it was stored
    await catalog.invalidate("course-a")
    assert await catalog.get_page('["aws"]') is None
    assert await catalog.get_page('["gcp"]') is None
    assert await catalog.get_course("course-a") is None
    assert await catalog.get_course("course-b") == _course("course-b")
