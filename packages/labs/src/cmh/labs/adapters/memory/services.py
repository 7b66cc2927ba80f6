"""The stand-in for what Labs asks of users (the lab allowance), for the memory profile
and tests. Tests reach it by its own type to arrange answers."""

from __future__ import annotations

from decimal import Decimal

from cmh.labs.application.ports import LabAllowance

# What users gives a free learner (see cmh.users.domain.tier): beginner labs, 2 h a month.
FREE_LEVELS = frozenset({"beginner"})
FREE_HOURS = Decimal(2)
ALL_LEVELS = frozenset({"beginner", "intermediate", "advanced"})


class MemoryEntitlements:
    """Unknown users are free and active."""

    def __init__(self) -> None:
        self.allowances: dict[str, LabAllowance] = {}

    def grant(
        self,
        user_id: str,
        *,
        tier: str = "pro",
        levels: frozenset[str] = ALL_LEVELS,
        hours: Decimal = Decimal(20),
        active: bool = True,
    ) -> None:
        self.allowances[user_id] = LabAllowance(
            user_id=user_id, tier=tier, levels=levels, lab_hours_per_month=hours, active=active
        )

    async def of(self, user_id: str) -> LabAllowance:
        return self.allowances.get(user_id) or LabAllowance(
            user_id=user_id,
            tier="free",
            levels=FREE_LEVELS,
            lab_hours_per_month=FREE_HOURS,
            active=True,
        )
