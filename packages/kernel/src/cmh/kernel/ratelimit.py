"""Rate limits as a port, backed by the well-kept ``limits`` library (moving window):
in memory for one process, in Redis when several instances must share the count."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


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
    def __init__(self, storage: Storage) -> None:
        self._strategy = MovingWindowRateLimiter(storage)

    @classmethod
    def in_memory(cls) -> LimitsRateLimiter:
        return cls(MemoryStorage())

    @classmethod
    def redis(cls, url: str) -> LimitsRateLimiter:
        storage = storage_from_string(url if url.startswith("async+") else "async+" + url)
        if not isinstance(storage, Storage):
            raise TypeError(f"{url!r} did not give an async limits storage")
        return cls(storage)

    async def hit(self, limit: RateLimit, *key: str) -> RateDecision:
        item = RateLimitItemPerSecond(limit.amount, limit.per_seconds)
        allowed = await self._strategy.hit(item, limit.name, *key)
        stats = await self._strategy.get_window_stats(item, limit.name, *key)
        reset_after = max(0, int(stats.reset_time - time.time()) + 1)
        return RateDecision(
            allowed=allowed, limit=limit.amount, remaining=stats.remaining, reset_after=reset_after
        )
