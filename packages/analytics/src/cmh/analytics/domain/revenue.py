"""Revenue by plan, computed from payment facts, for admins.

- per plan, month (UTC, ``YYYY-MM``) and currency: what was paid (gross), what was
  refunded, and the net, in exact decimals (amounts are the events' decimal strings,
  never floats; currencies are never added together);
- a refund counts in the month it was issued, against the plan of the payment it
  refunds (a refund whose payment has not arrived yet counts under ``UNKNOWN_PLAN``
  until it does: the report is a function of the set of facts, never of their order);
- active subscriptions per plan: each subscription's latest change, counted when its
  status still gives access (``active``, ``trialing``, ``past_due``), with its seats.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact

UNKNOWN_PLAN = "(unknown)"
ACTIVE_STATUSES = frozenset({"active", "trialing", "past_due"})


@dataclass(frozen=True, slots=True)
class PlanMonth:
    plan_id: str
    month: str
    currency: str
    payments: int
    refunds: int
    gross: Decimal
    refunded: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunded


@dataclass(frozen=True, slots=True)
class PlanTotal:
    plan_id: str
    currency: str
    gross: Decimal
    refunded: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunded


@dataclass(frozen=True, slots=True)
class PlanSubscriptions:
    plan_id: str
    active: int
    seats: int


@dataclass(frozen=True, slots=True)
class RevenueReport:
    months: list[PlanMonth]
    totals: list[PlanTotal]
    subscriptions: list[PlanSubscriptions]


@dataclass
class _Sums:
    payments: int = 0
    refunds: int = 0
    gross: Decimal = Decimal("0")
    refunded: Decimal = Decimal("0")


def _money(fact: Fact) -> tuple[Decimal, str]:
    return Decimal(str(fact.attrs.get("amount", "0"))), str(fact.attrs.get("currency", "")).lower()


def _month(fact: Fact) -> str:
    return fact.occurred_at.strftime("%Y-%m")


def revenue_report(found: Iterable[Fact]) -> RevenueReport:
    payments: dict[str, Fact] = {}
    refunds: dict[str, Fact] = {}
    latest: dict[str, Fact] = {}
    for fact in found:
        if fact.kind == k.PAYMENT_SUCCEEDED and fact.subject:
            payments[fact.subject] = fact
        elif fact.kind == k.REFUND_ISSUED:
            refunds[str(fact.attrs.get("refund_id", fact.event_id))] = fact
        elif fact.kind == k.SUBSCRIPTION_CHANGED and fact.subject:
            seen = latest.get(fact.subject)
            if seen is None or (fact.occurred_at, fact.event_id) > (
                seen.occurred_at,
                seen.event_id,
            ):
                latest[fact.subject] = fact
    sums: dict[tuple[str, str, str], _Sums] = defaultdict(_Sums)
    for payment in payments.values():
        amount, currency = _money(payment)
        row = sums[(str(payment.attrs.get("plan_id", UNKNOWN_PLAN)), _month(payment), currency)]
        row.payments += 1
        row.gross += amount
    for refund in refunds.values():
        amount, currency = _money(refund)
        paid = payments.get(refund.subject or "")
        plan = str(paid.attrs.get("plan_id", UNKNOWN_PLAN)) if paid else UNKNOWN_PLAN
        row = sums[(plan, _month(refund), currency)]
        row.refunds += 1
        row.refunded += amount
    months = [
        PlanMonth(plan, month, currency, s.payments, s.refunds, s.gross, s.refunded)
        for (plan, month, currency), s in sorted(sums.items())
    ]
    totals: dict[tuple[str, str], _Sums] = defaultdict(_Sums)
    for m in months:
        total = totals[(m.plan_id, m.currency)]
        total.gross += m.gross
        total.refunded += m.refunded
    active: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for change in latest.values():
        if change.attrs.get("status") in ACTIVE_STATUSES:
            counted = active[str(change.attrs.get("plan_id", UNKNOWN_PLAN))]
            counted[0] += 1
            counted[1] += int(change.attrs.get("seats", 1))
    return RevenueReport(
        months=months,
        totals=[
            PlanTotal(plan, currency, s.gross, s.refunded)
            for (plan, currency), s in sorted(totals.items())
        ],
        subscriptions=[
            PlanSubscriptions(plan, n, seats) for plan, (n, seats) in sorted(active.items())
        ],
    )
