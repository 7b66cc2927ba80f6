"""The catalog cache over the kernel's memory cache and over real Redis."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from cmh.courses.adapters.cache.catalog_cache import CachedCatalog
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


async def test_a_write_drops_every_page_and_that_course_only(catalog: CachedCatalog) -> None:
    await catalog.put_page('["aws"]', b'{"items":[1]}')
    await catalog.put_page('["gcp"]', b'{"items":[2]}')
    await catalog.put_course("course-a", b'{"id":"course-a"}')
    await catalog.put_course("course-b", b'{"id":"course-b"}')
    assert await catalog.get_page('["aws"]') == b'{"items":[1]}'
    await catalog.invalidate("course-a")
    assert await catalog.get_page('["aws"]') is None
    assert await catalog.get_page('["gcp"]') is None
    assert await catalog.get_course("course-a") is None
    assert await catalog.get_course("course-b") == b'{"id":"course-b"}'
