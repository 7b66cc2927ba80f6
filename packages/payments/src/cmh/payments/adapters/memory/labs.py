"""Labs' ledger in memory: the hours each failed session gives back (once), how many of
them came from lab-hour packs (all, unless told), and a switch that makes labs
unavailable."""

from __future__ import annotations

from decimal import Decimal

from cmh.kernel.errors import DependencyUnavailable
from cmh.payments.application.ports import HoursBack


class MemoryLabHours:
    def __init__(
        self, hours_per_session: Decimal = Decimal("1.5"), pack_hours: Decimal | None = None
    ) -> None:
        self.hours_per_session = hours_per_session
        self.pack_hours = pack_hours
        self.refunded: dict[str, Decimal] = {}
        self.available = True

    async def refund_session(self, session_id: str, reason: str) -> HoursBack:
        if not self.available:
            raise DependencyUnavailable("labs did not answer")
        if session_id in self.refunded:
            return HoursBack(hours=Decimal(0))
        self.refunded[session_id] = self.hours_per_session
        pack = self.hours_per_session if self.pack_hours is None else self.pack_hours
        return HoursBack(hours=self.hours_per_session, pack_hours=pack)
