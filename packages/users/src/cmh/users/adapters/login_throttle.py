"""Login throttling over the kernel's ``RateLimiter`` and ``Cache``.

Failures are counted with the rate limiter (moving window). The limiter port can count
but not peek, so when a failure uses up the allowance a lock entry goes into the cache
until the window frees a slot; ``ensure_allowed`` looks only at that lock. Keys are
digests, so the cache (Redis in production) never holds an email address.
"""

from __future__ import annotations

import time

from cmh.kernel.cache import Cache
from cmh.kernel.errors import TooManyRequests
from cmh.kernel.ratelimit import RateLimit, RateLimiter
from cmh.users.domain.tokens import digest


class RateLimitedLoginThrottle:
    def __init__(
        self,
        limiter: RateLimiter,
        cache: Cache,
        *,
        failures_allowed: int = 5,
        window_seconds: int = 300,
    ) -> None:
        self._limiter = limiter
        self._cache = cache
        self._limit = RateLimit(
            "users-login-failures", amount=failures_allowed, per_seconds=window_seconds
        )

    async def ensure_allowed(self, key: str) -> None:
        locked_until = await self._cache.get(self._lock_key(key))
        if locked_until is None:
            return
        retry_after = int(float(locked_until.decode()) - time.time()) + 1
        if retry_after > 0:
            raise TooManyRequests(
                "too many failed logins for this account; try again later", retry_after=retry_after
            )

    async def record_failure(self, key: str) -> None:
        decision = await self._limiter.hit(self._limit, digest(key))
        if decision.allowed and decision.remaining > 0:
            return
        lock_seconds = max(decision.reset_after, 1)
        await self._cache.set(
            self._lock_key(key), str(time.time() + lock_seconds).encode(), ttl_seconds=lock_seconds
        )

    @staticmethod
    def _lock_key(key: str) -> str:
        return f"users:login-lock:{digest(key)}"
