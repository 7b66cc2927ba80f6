from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from cmh.kernel.cache import MemoryCache, RedisCache
from cmh.kernel.errors import TooManyRequests
from cmh.kernel.ratelimit import LimitsRateLimiter
from cmh.kernel.testing.servers import redis_url
from cmh.users.adapters.login_throttle import RateLimitedLoginThrottle


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.integration)])
async def throttle(request: pytest.FixtureRequest) -> AsyncIterator[RateLimitedLoginThrottle]:
    if request.param == "memory":
        yield RateLimitedLoginThrottle(
            LimitsRateLimiter.in_memory(), MemoryCache(), failures_allowed=3
        )
        return
    url = redis_url()
    client = Redis.from_url(url)
    try:
        yield RateLimitedLoginThrottle(
            LimitsRateLimiter.redis(url), RedisCache(client), failures_allowed=3
        )
    finally:
        await client.aclose()


async def test_the_last_allowed_failure_locks_the_key(throttle: RateLimitedLoginThrottle) -> None:
    key, other = f"{secrets.token_hex(4)}@example.com", f"{secrets.token_hex(4)}@example.com"
    for _ in range(2):
        await throttle.record_failure(key)
        await throttle.ensure_allowed(key)
    await throttle.record_failure(key)

    with pytest.raises(TooManyRequests) as error:
        await throttle.ensure_allowed(key)
    assert 0 < error.value.retry_after <= 301
    await throttle.ensure_allowed(other)


async def test_the_cache_never_holds_the_address() -> None:
    cache = MemoryCache()
    throttle = RateLimitedLoginThrottle(LimitsRateLimiter.in_memory(), cache, failures_allowed=1)
    await throttle.record_failure("ada@example.com")
    assert cache._items
    assert not any("ada" in key for key in cache._items)
