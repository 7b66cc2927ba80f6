"""Password guesses against an account, counted per account and client address: the wait
``LoginThrottlePolicy`` asks for before the next guess, and what each guess leaves behind.
Shared by every use case that checks a password to sign someone in."""

from __future__ import annotations

import math
from datetime import datetime

from cmh.kernel.errors import TooManyRequests
from cmh.users.application.ports import LoginFailures
from cmh.users.domain.login_throttle import LoginThrottlePolicy


class LoginAttempts:
    def __init__(self, failures: LoginFailures, throttle: LoginThrottlePolicy) -> None:
        self._failures = failures
        self._throttle = throttle

    async def ensure_allowed(self, account: str, client_address: str, now: datetime) -> None:
        """Raise 429 (with Retry-After) while this account is throttled from this address."""
        wait = self._throttle.wait(await self._failures.history(account, client_address, now), now)
        if wait.total_seconds() > 0:
            raise TooManyRequests(
                "too many failed logins for this account from here; try again later",
                retry_after=math.ceil(wait.total_seconds()),
            )

    async def failed(self, account: str, client_address: str, now: datetime) -> None:
        await self._failures.record_failure(account, client_address, now)

    async def succeeded(self, account: str, client_address: str, now: datetime) -> None:
        await self._failures.record_success(account, client_address, now)
