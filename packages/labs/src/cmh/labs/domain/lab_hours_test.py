from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from cmh.labs.domain.errors import InvalidLedgerEntry, NotEntitled
from cmh.labs.domain.lab_hours import (
    EntryKind,
    Period,
    consume,
    consumed,
    ensure_hours_left,
    hours_used,
    refund,
    remaining,
)

JAN = Period(2026, 1)
FEB = Period(2026, 2)
JAN_10 = datetime(2026, 1, 10, 12, tzinfo=UTC)


def test_a_period_is_the_utc_calendar_month() -> None:
    assert Period.of(datetime(2026, 1, 31, 23, 59, tzinfo=UTC)) == JAN
    # 00:30 on 1 February in Paris is still January in UTC.
    assert Period.of(datetime(2026, 2, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))) == JAN
    assert (JAN.starts_at, JAN.ends_at) == (datetime(2026, 1, 1, tzinfo=UTC), FEB.starts_at)
    assert Period(2026, 12).ends_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert str(FEB) == "2026-02"


def test_a_period_needs_an_aware_time() -> None:
    with pytest.raises(InvalidLedgerEntry):
        Period.of(datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("elapsed", "hours"),
    [
        (timedelta(0), Decimal("0")),
        (timedelta(seconds=1), Decimal("0.016667")),
        (timedelta(minutes=30), Decimal("0.5")),
        (timedelta(minutes=90, seconds=1), Decimal("1.516667")),
        (timedelta(minutes=-5), Decimal("0")),
    ],
)
def test_every_started_minute_counts(elapsed: timedelta, hours: Decimal) -> None:
    assert hours_used(elapsed) == hours


def test_remaining_subtracts_the_month_consumption_only() -> None:
    ledger = [
        consume("a", user_id="u-1", session_id="s-1", used=timedelta(minutes=45), at=JAN_10),
        consume("b", user_id="u-1", session_id="s-2", used=timedelta(minutes=30), at=JAN_10),
        consume(
            "c",
            user_id="u-1",
            session_id="s-3",
            used=timedelta(hours=2),
            at=datetime(2026, 2, 2, tzinfo=UTC),
        ),
    ]
    assert consumed(ledger, JAN) == Decimal("1.25")
    assert remaining(Decimal(2), ledger, JAN) == Decimal("0.75")
    assert remaining(Decimal(2), ledger, FEB) == Decimal(0)
    assert remaining(Decimal(2), ledger, Period(2026, 3)) == Decimal(2)


def test_an_overrun_leaves_nothing_but_never_less() -> None:
    ledger = [consume("a", user_id="u-1", session_id="s-1", used=timedelta(hours=3), at=JAN_10)]
    assert remaining(Decimal(2), ledger, JAN) == Decimal(0)


def test_a_refund_is_a_compensating_entry_in_the_consumption_month() -> None:
    consumption = consume(
        "a",
        user_id="u-1",
        session_id="s-1",
        used=timedelta(hours=1),
        at=datetime(2026, 1, 31, 23, tzinfo=UTC),
    )
    ledger = [consumption]
    given_back = refund(
        "a/refund",
        consumption=consumption,
        ledger=ledger,
        at=datetime(2026, 2, 1, 1, tzinfo=UTC),
        reason="failed_platform",
    )
    ledger.append(given_back)
    assert (given_back.kind, given_back.hours, given_back.period, given_back.refunds) == (
        EntryKind.REFUNDED,
        Decimal("1.000000"),
        JAN,
        "a",
    )
    assert ledger[0] == consumption
    assert remaining(Decimal(2), ledger, JAN) == Decimal(2)
    assert remaining(Decimal(2), ledger, FEB) == Decimal(2)


def test_a_consumption_is_given_back_at_most_once_in_total() -> None:
    consumption = consume("a", user_id="u-1", session_id="s-1", used=timedelta(hours=1), at=JAN_10)
    part = refund(
        "r1",
        consumption=consumption,
        ledger=[consumption],
        at=JAN_10,
        reason="goodwill",
        hours=Decimal("0.25"),
    )
    ledger = [consumption, part]
    assert consumed(ledger, JAN) == Decimal("0.75")
    rest = refund("r2", consumption=consumption, ledger=ledger, at=JAN_10, reason="failed_platform")
    assert rest.hours == Decimal("0.75")
    ledger.append(rest)
    with pytest.raises(InvalidLedgerEntry) as raised:
        refund("r3", consumption=consumption, ledger=ledger, at=JAN_10, reason="again")
    assert raised.value.field == "hours"
    assert consumed(ledger, JAN) == Decimal(0)


@pytest.mark.parametrize("hours", [Decimal(0), Decimal("-1"), Decimal("1.5")])
def test_a_refund_is_positive_and_no_larger_than_what_is_left(hours: Decimal) -> None:
    consumption = consume("a", user_id="u-1", session_id="s-1", used=timedelta(hours=1), at=JAN_10)
    with pytest.raises(InvalidLedgerEntry):
        refund(
            "r", consumption=consumption, ledger=[consumption], at=JAN_10, reason="x", hours=hours
        )


def test_a_refund_cannot_itself_be_refunded() -> None:
    consumption = consume("a", user_id="u-1", session_id="s-1", used=timedelta(hours=1), at=JAN_10)
    given_back = refund("r", consumption=consumption, ledger=[consumption], at=JAN_10, reason="x")
    with pytest.raises(InvalidLedgerEntry) as raised:
        refund(
            "rr", consumption=given_back, ledger=[consumption, given_back], at=JAN_10, reason="x"
        )
    assert raised.value.field == "refunds"


def test_a_launch_needs_hours_left() -> None:
    ledger = [consume("a", user_id="u-1", session_id="s-1", used=timedelta(minutes=90), at=JAN_10)]
    assert ensure_hours_left(Decimal(2), ledger, JAN) == Decimal("0.5")
    with pytest.raises(NotEntitled):
        ensure_hours_left(Decimal("1.5"), ledger, JAN)
    with pytest.raises(NotEntitled):
        ensure_hours_left(Decimal(0), [], FEB)
