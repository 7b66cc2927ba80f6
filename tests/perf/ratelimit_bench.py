"""One rate-limit check against Redis (the limiter the gateway and the services get from
``RedisProvider``) against the least any counter can do: a bare ``INCRBY`` + ``EXPIRE``
pipeline (one round trip). Sequential calls from this process, pinned off the servers'
core; time per call, so lower is better."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from cmh.kernel.di import RedisProvider
from cmh.kernel.module import assemble
from cmh.kernel.ratelimit import RateLimit, RateLimiter
from cmh.kernel.settings import RedisSettings
from tests.perf.pinning import pin_this_process
from tests.perf.results import Row

CALLS = 3000


async def _per_call_us(call: Callable[[], Awaitable[object]]) -> float:
    for _ in range(200):  # warm-up: connections made, scripts loaded
        await call()
    started = time.perf_counter()
    for _ in range(CALLS):
        await call()
    return (time.perf_counter() - started) / CALLS * 1e6


async def _measure(redis_url: str, rounds: int) -> tuple[float, float]:
    client = Redis.from_url(redis_url)
    container = assemble(RedisProvider(), context={RedisSettings: RedisSettings(url=redis_url)})
    limiter = await container.get(RateLimiter)
    run = uuid.uuid4().hex[:8]
    limit = RateLimit(f"bench-{run}", 100_000_000, 60)
    bare_key = f"bench:{run}:bare"

    async def bare() -> None:
        async with client.pipeline(transaction=False) as pipe:
            pipe.incrby(bare_key, 1)
            pipe.expire(bare_key, 60)
            await pipe.execute()

    async def check() -> None:
        await limiter.hit(limit, "ip:127.0.0.1")

    bases, ours = [], []
    try:
        for _ in range(rounds):
            bases.append(await _per_call_us(bare))
            ours.append(await _per_call_us(check))
    finally:
        await client.aclose()
        await container.close()
    return sorted(bases)[len(bases) // 2], sorted(ours)[len(ours) // 2]


def ratelimit_row(redis_url: str, rounds: int) -> Row:
    pin_this_process()
    base, ours = asyncio.run(_measure(redis_url, max(rounds, 3)))
    ratio = ours / base
    print(f"  {'bare INCRBY + EXPIRE pipeline':<46} {base:>9.1f} us/call")
    print(f"  {'rate-limit check (RedisProvider)':<46} {ours:>9.1f} us/call")
    return Row(
        scenario="rate-limit check against Redis",
        baseline="bare INCRBY + EXPIRE pipeline",
        target="<= 1.20x time",
        figure=f"{ratio:.2f}x time ({ours:.0f} vs {base:.0f} us)",
        holds=ratio <= 1.2,
        ratio=ratio,
        goal=1.2,
        runs=[{"name": "ours", "us_per_call": ours}, {"name": "baseline", "us_per_call": base}],
    )
