"""Whether a learner may launch a template: their tier's levels and the lab hours left in
the month, lab-hour packs included (users owns the allowance, Labs the ledger)."""

from __future__ import annotations

from datetime import datetime

from cmh.labs.application.ports import Entitlements, LabAllowance, LabHoursLedger
from cmh.labs.domain.errors import NotEntitled
from cmh.labs.domain.lab_hours import Period, ensure_hours_left
from cmh.labs.domain.template import LabTemplate


async def ensure_entitled(
    entitlements: Entitlements,
    ledger: LabHoursLedger,
    user_id: str,
    template: LabTemplate,
    now: datetime,
) -> LabAllowance:
    """The learner's allowance, when they may launch ``template`` now."""
    allowance = await entitlements.of(user_id)
    if not allowance.active:
        raise NotEntitled("the account is not active")
    if str(template.level) not in allowance.levels:
        raise NotEntitled(f"the {allowance.tier} tier does not include {template.level} labs")
    period = Period.of(now)
    # Every entry: the packs bought in earlier months have not expired.
    ensure_hours_left(allowance.lab_hours_per_month, await ledger.entries(user_id), period)
    return allowance
