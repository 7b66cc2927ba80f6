"""Both rate limiters keep the same fixed windows; the Redis one asks Redis once per check."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.asyncio.connection import Connection, ConnectionPool

from cmh.kernel.ratelimit import LimitsRateLimiter, RateLimit, RateLimiter, RedisRateLimiter
from cmh_testing.kernel.servers import redis_url


class CountingConnection(Connection):
    """Counts what is written to Redis: one write per round trip."""

    sent = 0

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        CountingConnection.sent += 1
        await super().send_packed_command(command, check_health)


@pytest.fixture
async def redis_client() -> AsyncIterator[Redis]:
    pool = ConnectionPool.from_url(redis_url(), connection_class=CountingConnection)
    client = Redis(connection_pool=pool)
    yield client
    await client.aclose()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.integration)])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield LimitsRateLimiter.in_memory()
        return
    client = Redis.from_url(redis_url())
    yield RedisRateLimiter(client)
    await client.aclose()


def a_limit(amount: int = 3, per_seconds: int = 60) -> RateLimit:
    # A fresh name per test: counters outlive a test in the shared Redis.
    return RateLimit(f"test-{uuid.uuid4().hex[:8]}", amount, per_seconds)


async def test_a_window_allows_its_amount_then_refuses(limiter: RateLimiter) -> None:
    limit = a_limit(amount=3)
    decisions = [await limiter.hit(limit, "ip:10.0.0.1") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert all(d.limit == 3 for d in decisions)
    assert all(1 <= d.reset_after <= 60 for d in decisions)


async def test_keys_and_limits_count_apart(limiter: RateLimiter) -> None:
    limit, other = a_limit(amount=1), a_limit(amount=1)
    assert (await limiter.hit(limit, "user:a")).allowed
    assert (await limiter.hit(limit, "user:b")).allowed
    assert (await limiter.hit(other, "user:a")).allowed
    assert not (await limiter.hit(limit, "user:a")).allowed


@pytest.mark.integration
async def test_a_redis_check_is_one_round_trip(redis_client: Redis) -> None:
    limiter = RedisRateLimiter(redis_client)
    limit = a_limit(amount=100)
    await limiter.hit(limit, "ip:10.0.0.2")  # connects and loads the script
    before = CountingConnection.sent
    for _ in range(10):
        await limiter.hit(limit, "ip:10.0.0.2")
    assert CountingConnection.sent - before == 10


@pytest.mark.integration
async def test_the_redis_window_closes_after_its_period(redis_client: Redis) -> None:
    limiter = RedisRateLimiter(redis_client, prefix=f"test-{uuid.uuid4().hex[:8]}:")
    limit = a_limit(amount=1, per_seconds=60)
    await limiter.hit(limit, "ip:10.0.0.3")
    keys = [key async for key in redis_client.scan_iter(match=f"*{limit.name}*")]
    assert len(keys) == 1
    assert 0 < await redis_client.pttl(keys[0]) <= 60_000
