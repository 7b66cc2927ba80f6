"""Login failures kept in this process (the embedded profile; tests). Forgotten
``forget_failures_after`` the last failure, like the Redis adapter's expiry; beyond
``max_entries`` the least recently touched go first, so a flood of made-up accounts
cannot grow the process without bound."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypeVar

from cmh.users.domain.login_throttle import FailureCount, LoginHistory

V = TypeVar("V")


class MemoryLoginFailures:
    def __init__(
        self,
        *,
        forget_failures_after: timedelta,
        remember_addresses_for: timedelta,
        max_entries: int = 100_000,
    ) -> None:
        self._forget_after = forget_failures_after
        self._remember_for = remember_addresses_for
        self._max_entries = max_entries
        self._failures: dict[tuple[str, ...], FailureCount] = {}
        self._known: dict[tuple[str, ...], datetime] = {}

    async def history(self, account: str, address: str, now: datetime) -> LoginHistory:
        known_at = self._known.get((account, address))
        return LoginHistory(
            from_address=self._live((account, address), now),
            account=self._live((account,), now),
            known_address=known_at is not None and now - known_at < self._remember_for,
        )

    async def record_failure(self, account: str, address: str, now: datetime) -> None:
        for key in ((account,), (account, address)):
            self._put(self._failures, key, FailureCount(self._live(key, now).count + 1, now))

    async def record_success(self, account: str, address: str, now: datetime) -> None:
        self._failures.pop((account, address), None)
        self._put(self._known, (account, address), now)

    def _live(self, key: tuple[str, ...], now: datetime) -> FailureCount:
        failures = self._failures.get(key)
        if failures is None or failures.last_at is None:
            return FailureCount()
        if now - failures.last_at >= self._forget_after:
            return FailureCount()
        return failures

    def _put(self, items: dict[tuple[str, ...], V], key: tuple[str, ...], value: V) -> None:
        items.pop(key, None)  # re-inserted last: the dict's order is recency
        items[key] = value
        while len(items) > self._max_entries:
            items.pop(next(iter(items)))
