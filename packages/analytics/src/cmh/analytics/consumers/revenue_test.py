"""Revenue by plan against a hand-computed fixture, whatever order the facts come in."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

from cmh.analytics.consumers.facts import EXTRACTORS
from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.revenue import UNKNOWN_PLAN, revenue_report
from cmh.contracts.events.base import IntegrationEvent
from cmh_testing.analytics.events import paid, refunded, subscription_changed

MARCH = datetime(2026, 3, 10, tzinfo=UTC)
APRIL = datetime(2026, 4, 2, tzinfo=UTC)


def facts(events: list[IntegrationEvent]) -> list[Fact]:
    return [EXTRACTORS[type(e)](e, MARCH) for e in events]


EVENTS: list[IntegrationEvent] = [
    paid("p1", "pro", "19.00", MARCH, "ann"),
    paid("p2", "pro", "19.00", MARCH, "bob"),
    paid("p3", "pro", "0.10", MARCH, "cy"),
    paid("p4", "pro", "0.20", APRIL, "cy"),
    paid("p5", "team", "99.99", APRIL, "dee", currency="eur"),
    refunded("r1", "p1", "19.00", APRIL, "ann"),  # a March payment refunded in April
    refunded("r2", "p5", "9.99", APRIL, "dee", currency="eur"),
    refunded("r3", "p-missing", "5.00", APRIL, "eve"),  # its payment has not arrived
    subscription_changed("s1", "pro", "active", MARCH, "ann"),
    subscription_changed("s1", "pro", "canceled", APRIL, "ann", previous="active"),
    subscription_changed("s2", "pro", "past_due", APRIL, "bob", seats=1),
    subscription_changed("s3", "team", "active", MARCH, "dee", seats=5),
    subscription_changed("s4", "team", "incomplete", MARCH, "fay"),
]


def test_revenue_per_plan_and_month_net_of_refunds_in_exact_decimals() -> None:
    report = revenue_report(facts(EVENTS))
    months = {(m.plan_id, m.month, m.currency): m for m in report.months}
    march = months[("pro", "2026-03", "usd")]
    assert (march.payments, march.gross, march.refunded, march.net) == (
        3,
        Decimal("38.10"),
        Decimal("0"),
        Decimal("38.10"),
    )
    april = months[("pro", "2026-04", "usd")]
    assert (april.payments, april.refunds, april.gross, april.net) == (
        1,
        1,
        Decimal("0.20"),
        Decimal("-18.80"),
    )
    team = months[("team", "2026-04", "eur")]
    assert (team.gross, team.refunded, team.net) == (
        Decimal("99.99"),
        Decimal("9.99"),
        Decimal("90.00"),
    )
    assert months[(UNKNOWN_PLAN, "2026-04", "usd")].refunded == Decimal("5.00")
    totals = {(t.plan_id, t.currency): str(t.net) for t in report.totals}
    assert totals == {
        ("pro", "usd"): "19.30",
        ("team", "eur"): "90.00",
        (UNKNOWN_PLAN, "usd"): "-5.00",
    }
    assert [(s.plan_id, s.active, s.seats) for s in report.subscriptions] == [
        ("pro", 1, 1),
        ("team", 1, 5),
    ]


def test_arrival_order_and_repeats_change_nothing() -> None:
    shuffled = facts(EVENTS) + facts(EVENTS[:4])
    random.Random(3).shuffle(shuffled)
    assert revenue_report(shuffled) == revenue_report(facts(EVENTS))


def test_a_late_payment_moves_its_refund_to_its_plan() -> None:
    early = revenue_report(facts([refunded("r9", "p9", "3.00", APRIL)]))
    assert [m.plan_id for m in early.months] == [UNKNOWN_PLAN]
    late = revenue_report(
        facts([refunded("r9", "p9", "3.00", APRIL), paid("p9", "pro", "3.00", APRIL)])
    )
    assert [(m.plan_id, str(m.net)) for m in late.months] == [("pro", "0.00")]
