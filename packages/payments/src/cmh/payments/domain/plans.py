"""Plans and their prices: what a learner can buy and the tier each gives.

Amounts are whole cents of one currency (Stripe's ``unit_amount``), so no float ever
rounds money. A plan's id is also its Stripe Price ``lookup_key``: the catalogue is kept in
sync with Stripe by that key, never by ids copied from a dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cmh.payments.domain.errors import PlanNotFound, PlanNotPurchasable


class Tier(StrEnum):
    """The users service's tiers (users owns them; payments only asks for one)."""

    FREE = "free"
    PRO = "pro"
    TEAM = "team"


class PlanKind(StrEnum):
    FREE = "free"  # nothing to pay
    SUBSCRIPTION = "subscription"  # one learner, recurring
    SEATS = "seats"  # recurring per seat; the owner assigns seats to members
    LAB_HOURS_PACK = "lab_hours_pack"  # paid once, adds lab hours


class Interval(StrEnum):
    NONE = "none"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    kind: PlanKind
    tier: Tier
    interval: Interval
    unit_amount_cents: int
    currency: str = "usd"
    lab_hours: int = 0  # hours a pack adds
    min_quantity: int = 1
    max_quantity: int = 1

    @property
    def recurring(self) -> bool:
        return self.kind in (PlanKind.SUBSCRIPTION, PlanKind.SEATS)

    def amount_cents(self, quantity: int = 1) -> int:
        return self.unit_amount_cents * self.checked_quantity(quantity)

    def checked_quantity(self, quantity: int) -> int:
        if not self.min_quantity <= quantity <= self.max_quantity:
            raise PlanNotPurchasable(
                f"{self.name} is bought in quantities of {self.min_quantity} to "
                f"{self.max_quantity}",
                code="invalid_quantity",
                field="quantity",
            )
        return quantity


FREE = Plan("free", "Free", PlanKind.FREE, Tier.FREE, Interval.NONE, 0)
PRO_MONTHLY = Plan(
    "pro_monthly", "Pro (monthly)", PlanKind.SUBSCRIPTION, Tier.PRO, Interval.MONTH, 1900
)
PRO_YEARLY = Plan(
    "pro_yearly", "Pro (yearly)", PlanKind.SUBSCRIPTION, Tier.PRO, Interval.YEAR, 19000
)
TEAM_MONTHLY = Plan(
    "team_monthly",
    "Team (monthly, per seat)",
    PlanKind.SEATS,
    Tier.TEAM,
    Interval.MONTH,
    2900,
    min_quantity=2,
    max_quantity=500,
)
LAB_HOURS_10 = Plan(
    "lab_hours_10",
    "10 lab hours",
    PlanKind.LAB_HOURS_PACK,
    Tier.FREE,
    Interval.NONE,
    1500,
    lab_hours=10,
)


class PlanCatalog:
    """The plans on sale, in display order."""

    def __init__(
        self, plans: tuple[Plan, ...] = (FREE, PRO_MONTHLY, PRO_YEARLY, TEAM_MONTHLY, LAB_HOURS_10)
    ) -> None:
        self._plans = {plan.id: plan for plan in plans}

    def all(self) -> list[Plan]:
        return list(self._plans.values())

    def get(self, plan_id: str) -> Plan:
        try:
            return self._plans[plan_id]
        except KeyError:
            raise PlanNotFound(f"no plan {plan_id!r}", field="plan_id") from None

    def find(self, plan_id: str | None) -> Plan | None:
        return self._plans.get(plan_id or "")

    def purchasable(self, plan_id: str) -> Plan:
        plan = self.get(plan_id)
        if plan.kind is PlanKind.FREE:
            raise PlanNotPurchasable("the free plan is not bought", field="plan_id")
        return plan
