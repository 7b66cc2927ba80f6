"""How long a password login must wait after failed ones: a progressive delay, never a
hard lock of the account as a whole (OWASP Authentication Cheat Sheet, login throttling).

Failures are counted twice: for the account from this address, and for the account from
anywhere. A few from one address are free; each further one doubles the wait (1 s, 2 s,
4 s, ... up to ``max_delay``), so one address guessing one account gets a handful of
tries an hour. The account-wide count slows a guesser spread over many addresses the same
way, but only at addresses the account has not recently logged in from: strangers'
failures never hold up the owner at their usual address, and nobody can lock anybody out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

NO_WAIT = timedelta(0)
# 2**40 seconds outlasts any sensible cap; beyond that the cap applies without computing.
_MAX_DOUBLINGS = 40


@dataclass(frozen=True, slots=True)
class FailureCount:
    count: int = 0
    last_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LoginHistory:
    """What the throttle remembers about one account and one client address."""

    from_address: FailureCount = FailureCount()
    account: FailureCount = FailureCount()
    # The account logged in successfully from this address lately.
    known_address: bool = False


@dataclass(frozen=True, slots=True)
class LoginThrottlePolicy:
    free_failures_per_address: int = 5
    free_failures_per_account: int = 20
    first_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.free_failures_per_address < 1 or self.free_failures_per_account < 1:
            raise ValueError("at least one failure must be free")
        if not NO_WAIT < self.first_delay <= self.max_delay:
            raise ValueError("delays must be positive, the first no longer than the cap")

    def delay_after(self, failures: int, free: int) -> timedelta:
        """How long after the last of ``failures`` the next attempt must wait."""
        doublings = failures - free
        if doublings < 0:
            return NO_WAIT
        if doublings >= _MAX_DOUBLINGS:
            return self.max_delay
        return min(self.max_delay, self.first_delay * (1 << doublings))

    def wait(self, history: LoginHistory, now: datetime) -> timedelta:
        """How long this address must still wait before trying this account (0: go on)."""
        waits = [self._remaining(history.from_address, self.free_failures_per_address, now)]
        if not history.known_address:
            waits.append(self._remaining(history.account, self.free_failures_per_account, now))
        return max(waits)

    def _remaining(self, failures: FailureCount, free: int, now: datetime) -> timedelta:
        if failures.last_at is None:
            return NO_WAIT
        return max(NO_WAIT, failures.last_at + self.delay_after(failures.count, free) - now)
