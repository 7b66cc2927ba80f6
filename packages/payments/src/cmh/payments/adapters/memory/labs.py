"""Labs' ledger in memory: the hours each failed session gives back (once), and a switch
that makes labs unavailable."""

from __future__ import annotations

from decimal import Decimal

from cmh.kernel.errors import DependencyUnavailable


class MemoryLabHours:
    def __init__(self, hours_per_session: Decimal = Decimal("1.5")) -> None:
        self.hours_per_session = hours_per_session
        self.refunded: dict[str, Decimal] = {}
        self.available = True

    async def refund_session(self, session_id: str, reason: str) -> Decimal:
        if not self.available:
            raise DependencyUnavailable("labs did not answer")
        if session_id in self.refunded:
            return Decimal(0)
        self.refunded[session_id] = self.hours_per_session
        return self.hours_per_session
