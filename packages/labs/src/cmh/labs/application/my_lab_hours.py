"""The caller's lab hours this month: their tier's allowance (users owns it), what they
consumed of it, and the lab-hour packs they have left (Labs' ledger)."""

from __future__ import annotations

from decimal import Decimal

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.labs.application.ports import Entitlements, LabHoursLedger
from cmh.labs.application.views import LabHoursView, hours_text
from cmh.labs.domain.lab_hours import Period, consumed, pack_balance, remaining


class MyLabHours:
    def __init__(self, entitlements: Entitlements, ledger: LabHoursLedger, clock: Clock) -> None:
        self._entitlements = entitlements
        self._ledger = ledger
        self._clock = clock

    async def execute(self, principal: Principal) -> LabHoursView:
        period = Period.of(self._clock.now())
        allowance = (await self._entitlements.of(principal.user_id)).lab_hours_per_month
        entries = await self._ledger.entries(principal.user_id)
        monthly = remaining(allowance, entries, period)
        packs = pack_balance(entries, {period: allowance})
        return LabHoursView(
            period=str(period),
            allowance_hours=hours_text(allowance),
            consumed_hours=hours_text(max(consumed(entries, period), Decimal(0))),
            monthly_remaining_hours=hours_text(monthly),
            pack_hours=hours_text(packs),
            remaining_hours=hours_text(monthly + packs),
        )
