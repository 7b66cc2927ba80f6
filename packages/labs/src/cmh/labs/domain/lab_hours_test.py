import contextlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.labs.domain.errors import InvalidLedgerEntry, NotEntitled
from cmh.labs.domain.lab_hours import (
    EntryKind,
    LedgerEntry,
    Period,
    consume,
    consumed,
    ensure_hours_left,
    hours_left,
    hours_used,
    pack_balance,
    purchase,
    refund,
    remaining,
    take_back_pack,
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


# --- lab-hour packs ------------------------------------------------------------------

TWO = Decimal(2)
JAN_2 = datetime(2026, 1, 2, tzinfo=UTC)  # the packs are bought before the sessions


def _used(entry_id: str, hours: float, at: datetime = JAN_10) -> LedgerEntry:
    return consume(
        entry_id,
        user_id="u-1",
        session_id=f"s-{entry_id}",
        used=timedelta(hours=hours),
        at=at,
        allowance=TWO,
    )


def _pack(entry_id: str = "p", hours: int = 10, at: datetime = JAN_2) -> LedgerEntry:
    return purchase(
        entry_id, user_id="u-1", payment_id=f"pay-{entry_id}", hours=Decimal(hours), at=at
    )


def test_a_pack_is_a_purchased_entry_keyed_by_its_payment() -> None:
    pack = _pack()
    assert (pack.kind, pack.hours, pack.payment_id, pack.period) == (
        EntryKind.PURCHASED,
        Decimal(10),
        "pay-p",
        JAN,
    )
    assert pack.signed_hours == 0  # not consumption: the month's allowance is untouched
    assert consumed([pack], JAN) == 0


@pytest.mark.parametrize("hours", [Decimal(0), Decimal(-3)])
def test_a_pack_adds_hours(hours: Decimal) -> None:
    with pytest.raises(InvalidLedgerEntry) as raised:
        purchase("p", user_id="u-1", payment_id="pay", hours=hours, at=JAN_10)
    assert raised.value.field == "hours"


def test_pack_hours_are_spent_only_beyond_the_monthly_allowance() -> None:
    ledger = [_pack(), _used("a", 1.5)]
    assert pack_balance(ledger) == 10
    assert hours_left(TWO, ledger, JAN) == Decimal("10.5")
    ledger.append(_used("b", 1.5))  # 3 h in January: 1 beyond the allowance of 2
    assert pack_balance(ledger) == 9
    assert remaining(TWO, ledger, JAN) == 0
    assert hours_left(TWO, ledger, JAN) == 9


def test_pack_hours_do_not_expire_with_the_month() -> None:
    ledger = [_pack(), _used("a", 3)]
    assert hours_left(TWO, ledger, FEB) == TWO + 9
    assert hours_left(TWO, ledger, Period(2027, 6)) == TWO + 9


def test_an_overrun_before_the_pack_is_forgiven_not_taken_from_it() -> None:
    later = datetime(2026, 1, 20, tzinfo=UTC)
    ledger = [_used("a", 3), _pack(at=later)]
    assert pack_balance(ledger) == 10
    ledger.append(_used("b", 1, at=later + timedelta(hours=1)))
    assert pack_balance(ledger) == 9  # only the new hour beyond the allowance


def test_the_live_allowance_of_the_month_wins_over_the_recorded_one() -> None:
    ledger = [_pack(), _used("a", 3)]  # launched as free (2 h)
    assert pack_balance(ledger, {JAN: Decimal(20)}) == 10  # upgraded to pro since
    assert hours_left(Decimal(20), ledger, JAN) == Decimal(17) + 10


def test_a_consumption_of_unknown_allowance_never_draws_on_a_pack() -> None:
    unknown = consume("a", user_id="u-1", session_id="s", used=timedelta(hours=5), at=JAN_10)
    assert pack_balance([_pack(), unknown]) == 10


def test_a_refunded_session_gives_its_pack_hours_back() -> None:
    ledger = [_pack(), _used("a", 2), _used("b", 1)]
    assert pack_balance(ledger) == 9
    ledger.append(refund("b/r", consumption=ledger[2], ledger=ledger, at=JAN_10, reason="x"))
    assert ledger[-1].allowance == TWO
    assert pack_balance(ledger) == 10


def test_a_refunded_pack_takes_back_only_its_unspent_part() -> None:
    bought = _pack()
    ledger = [bought, _used("a", 6)]  # 4 pack hours spent
    taken = take_back_pack(
        "r1", bought=bought, ledger=ledger, hours=Decimal(10), at=JAN_10, reason="refund"
    )
    assert taken is not None
    assert (taken.kind, taken.hours, taken.refunds, taken.payment_id) == (
        EntryKind.PACK_REFUNDED,
        Decimal(6),
        "p",
        "pay-p",
    )
    ledger.append(taken)
    assert pack_balance(ledger) == 0
    again = take_back_pack(
        "r2", bought=bought, ledger=ledger, hours=Decimal(10), at=JAN_10, reason="refund"
    )
    assert again is None


def test_a_partial_refund_of_a_pack_takes_back_its_share_and_no_more_than_the_pack() -> None:
    bought, other = _pack(), _pack("q", hours=5)
    ledger = [bought, other]
    part = take_back_pack(
        "r1", bought=bought, ledger=ledger, hours=Decimal("1.5"), at=JAN_10, reason="saga"
    )
    assert part is not None
    assert part.hours == Decimal("1.5")
    ledger.append(part)
    rest = take_back_pack(
        "r2", bought=bought, ledger=ledger, hours=Decimal(100), at=JAN_10, reason="refund"
    )
    assert rest is not None
    assert rest.hours == Decimal("8.5")  # the other pack stays
    ledger.append(rest)
    assert pack_balance(ledger) == 5


def test_only_a_purchase_is_taken_back() -> None:
    with pytest.raises(InvalidLedgerEntry) as raised:
        take_back_pack(
            "r", bought=_used("a", 1), ledger=[], hours=Decimal(1), at=JAN_10, reason="x"
        )
    assert raised.value.field == "refunds"


def test_a_pack_lets_a_learner_past_the_allowance_launch() -> None:
    spent = [_used("a", 2)]
    with pytest.raises(NotEntitled):
        ensure_hours_left(TWO, spent, JAN)
    assert ensure_hours_left(TWO, [*spent, _pack()], JAN) == 10


_HOURS = st.decimals(min_value=Decimal("0.25"), max_value=Decimal(30), places=2)
_MOMENTS = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 4, 30)).map(
    lambda at: at.replace(tzinfo=UTC)
)


@st.composite
def _ledgers(draw: st.DrawFn) -> list[LedgerEntry]:
    ledger: list[LedgerEntry] = []
    for n in range(draw(st.integers(min_value=0, max_value=12))):
        at = draw(_MOMENTS)
        hours = draw(_HOURS)
        match draw(st.sampled_from(["use", "pack", "refund", "take_back"])):
            case "use":
                ledger.append(
                    consume(
                        f"c{n}",
                        user_id="u-1",
                        session_id=f"s{n}",
                        used=timedelta(hours=float(hours)),
                        at=at,
                        allowance=draw(st.sampled_from([TWO, Decimal(20), None])),
                    )
                )
            case "pack":
                ledger.append(
                    purchase(f"p{n}", user_id="u-1", payment_id=f"pay{n}", hours=hours, at=at)
                )
            case "refund":
                uses = [e for e in ledger if e.kind is EntryKind.CONSUMED]
                if uses:
                    with contextlib.suppress(InvalidLedgerEntry):  # given back in full
                        ledger.append(
                            refund(
                                f"r{n}",
                                consumption=draw(st.sampled_from(uses)),
                                ledger=ledger,
                                at=at,
                                reason="x",
                            )
                        )
            case _:
                packs = [e for e in ledger if e.kind is EntryKind.PURCHASED]
                if packs:
                    taken = take_back_pack(
                        f"t{n}",
                        bought=draw(st.sampled_from(packs)),
                        ledger=ledger,
                        hours=hours,
                        at=at,
                        reason="x",
                    )
                    if taken is not None:
                        ledger.append(taken)
    return ledger


@given(_ledgers())
def test_the_pack_balance_never_goes_negative_nor_beyond_what_was_bought(
    ledger: list[LedgerEntry],
) -> None:
    bought = sum((e.hours for e in ledger if e.kind is EntryKind.PURCHASED), Decimal(0))
    assert 0 <= pack_balance(ledger) <= bought
    for period in (JAN, FEB, Period(2026, 5)):
        assert hours_left(TWO, ledger, period) >= 0


@given(_ledgers(), st.data())
def test_an_entry_delivered_twice_is_counted_once(
    ledger: list[LedgerEntry], data: st.DataObject
) -> None:
    if not ledger:
        return
    again = data.draw(st.sampled_from(ledger))
    assert pack_balance([*ledger, again]) == pack_balance(ledger)
    assert pack_balance(list(reversed(ledger))) == pack_balance(ledger)


@given(_ledgers(), _HOURS)
def test_a_pack_bought_now_adds_exactly_its_hours(
    ledger: list[LedgerEntry], hours: Decimal
) -> None:
    latest = max((e.at for e in ledger), default=JAN_10) + timedelta(seconds=1)
    bought = purchase("new", user_id="u-1", payment_id="pay-new", hours=hours, at=latest)
    assert pack_balance([*ledger, bought]) == pack_balance(ledger) + hours


def test_a_pack_bought_at_the_instant_a_session_ends_does_not_pay_for_it() -> None:
    ledger = [_pack("zz", at=JAN_10), _used("00", 3)]
    assert pack_balance(ledger) == 10
    ledger = [_pack("00", at=JAN_10), _used("zz", 3)]
    assert pack_balance(ledger) == 10
