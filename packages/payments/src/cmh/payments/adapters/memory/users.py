"""A users service in memory: the tier it was last told per learner, and a switch that
makes it unavailable (as during an outage)."""

from __future__ import annotations

from cmh.kernel.errors import DependencyUnavailable
from cmh.payments.domain.plans import Tier


class MemoryUsersTiers:
    def __init__(self) -> None:
        self.tiers: dict[str, Tier] = {}
        self.calls = 0
        self.available = True

    async def set_tier(self, user_id: str, tier: Tier, reason: str) -> None:
        self.calls += 1
        if not self.available:
            raise DependencyUnavailable("users did not answer")
        self.tiers[user_id] = tier
