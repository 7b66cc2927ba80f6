"""Rate limits as a port: a fixed window per limit and key (the count of hits since the
window opened; it closes ``per_seconds`` after its first hit).

In Redis (several instances share the count) a check is one round trip: one script
increments the counter, opens the window on its first hit and answers the count with
the time left, so the gateway's hot path waits for Redis once per request. In memory
(one process) the well-kept ``limits`` library keeps the same fixed windows.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import FixedWindowRateLimiter
from redis.asyncio import Redis


@dataclass(frozen=True, slots=True)
class RateLimit:
    name: str
    amount: int
    per_seconds: int


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_after: int


class RateLimiter(Protocol):
    async def hit(self, limit: RateLimit, *key: str) -> RateDecision: ...


class LimitsRateLimiter:
    """In process memory (the embedded profile, tests)."""

    def __init__(self) -> None:
        self._strategy = FixedWindowRateLimiter(MemoryStorage())

    @classmethod
    def in_memory(cls) -> LimitsRateLimiter:
        return cls()

    async def hit(self, limit: RateLimit, *key: str) -> RateDecision:
        item = RateLimitItemPerSecond(limit.amount, limit.per_seconds)
        allowed = await self._strategy.hit(item, limit.name, *key)
        stats = await self._strategy.get_window_stats(item, limit.name, *key)
        return RateDecision(
            allowed=allowed,
            limit=limit.amount,
            remaining=stats.remaining,
            reset_after=max(1, math.ceil(stats.reset_time - time.time())),
        )


# The count and the milliseconds left in its window; a counter without a window (never
# written that way, but cheap to heal) gets one.
_HIT = """
local count = redis.call('INCRBY', KEYS[1], 1)
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
"""


class RedisRateLimiter:
    """Shared by every instance through one Redis; one round trip per check (EVALSHA,
    the script loaded once per connection pool by redis-py)."""

    def __init__(self, client: Redis, prefix: str = "cmh:ratelimit:") -> None:
        self._hit = client.register_script(_HIT)
        self._prefix = prefix

    async def hit(self, limit: RateLimit, *key: str) -> RateDecision:
        counter = ":".join((self._prefix + limit.name, *key))
        count, left_ms = await self._hit(keys=[counter], args=[limit.per_seconds * 1000])
        return RateDecision(
            allowed=int(count) <= limit.amount,
            limit=limit.amount,
            remaining=max(0, limit.amount - int(count)),
            reset_after=max(1, math.ceil(int(left_ms) / 1000)),
        )
