"""The lab-hours ledger: what each learner consumed, per calendar month (UTC), and the
lab-hour packs they bought.

Users owns the allowance per tier; labs owns this ledger. Entries are never changed
or deleted: a refund (a platform failure, a goodwill gesture) is a compensating entry
that names the consumption it gives back and counts in that consumption's month.

A pack's hours are spent once the month's allowance has run out, and they do not expire
with the month: the pack balance is what was purchased, less what sessions consumed
beyond their month's allowance, less what refunded packs took back. A refunded pack
takes back only its unspent part, and the balance never goes below zero: an overrun the
packs could not cover is forgiven, as the monthly overrun is, never taken from a pack
bought later.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from cmh.labs.domain.errors import InvalidLedgerEntry, NotEntitled

_HOUR_PLACES = Decimal("0.000001")


class EntryKind(StrEnum):
    CONSUMED = "consumed"
    REFUNDED = "refunded"
    # A paid lab-hour pack, and what a refund of that pack takes back of it.
    PURCHASED = "purchased"
    PACK_REFUNDED = "pack_refunded"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month in UTC."""

    year: int
    month: int

    @classmethod
    def of(cls, at: datetime) -> Period:
        if at.tzinfo is None:
            raise InvalidLedgerEntry("a ledger time carries its time zone", field="at")
        utc = at.astimezone(UTC)
        return cls(utc.year, utc.month)

    @property
    def starts_at(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def ends_at(self) -> datetime:
        """The first instant of the next month (exclusive end)."""
        year, month = divmod(self.year * 12 + self.month, 12)
        return datetime(year, month + 1, 1, tzinfo=UTC)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def hours_used(used: timedelta) -> Decimal:
    """Hours charged for ``used``: every started minute counts."""
    minutes = max(0, math.ceil(used.total_seconds() / 60))
    return (Decimal(minutes) / 60).quantize(_HOUR_PLACES)


@dataclass(frozen=True)
class LedgerEntry:
    id: str
    user_id: str
    session_id: str
    kind: EntryKind
    hours: Decimal
    period: Period
    at: datetime
    reason: str = ""
    # For a refund: the consumption it compensates; for a pack's refund: the purchase.
    refunds: str | None = None
    # For a session's entries: the monthly allowance the learner had when it launched
    # (None when not known: such a consumption never draws on a pack).
    allowance: Decimal | None = None
    # For a pack's entries: the payment that bought it.
    payment_id: str | None = None

    @property
    def signed_hours(self) -> Decimal:
        """A session entry's weight in its month: consumed +, given back -; 0 for packs."""
        if self.kind is EntryKind.CONSUMED:
            return self.hours
        return -self.hours if self.kind is EntryKind.REFUNDED else Decimal(0)


def consume(
    entry_id: str,
    *,
    user_id: str,
    session_id: str,
    used: timedelta,
    at: datetime,
    allowance: Decimal | None = None,
) -> LedgerEntry:
    """The learner's time in a session, charged to the month in which it ended;
    ``allowance`` is the monthly allowance the session was launched under."""
    return LedgerEntry(
        id=entry_id,
        user_id=user_id,
        session_id=session_id,
        kind=EntryKind.CONSUMED,
        hours=hours_used(used),
        period=Period.of(at),
        at=at,
        allowance=allowance,
    )


def refund(
    entry_id: str,
    *,
    consumption: LedgerEntry,
    ledger: Iterable[LedgerEntry],
    at: datetime,
    reason: str,
    hours: Decimal | None = None,
) -> LedgerEntry:
    """Give back ``hours`` (all that is left by default) of ``consumption``; ``ledger``
    holds the user's entries so far, so that no consumption is given back twice."""
    if consumption.kind is not EntryKind.CONSUMED:
        raise InvalidLedgerEntry("only a consumption can be refunded", field="refunds")
    given_back = sum(
        (entry.hours for entry in ledger if entry.refunds == consumption.id), Decimal(0)
    )
    left = consumption.hours - given_back
    amount = left if hours is None else hours
    if amount <= 0 or amount > left:
        raise InvalidLedgerEntry(
            f"{left} hours of {consumption.id} can still be refunded, not {amount}",
            field="hours",
        )
    return LedgerEntry(
        id=entry_id,
        user_id=consumption.user_id,
        session_id=consumption.session_id,
        kind=EntryKind.REFUNDED,
        hours=amount,
        period=consumption.period,
        at=at,
        reason=reason,
        refunds=consumption.id,
        allowance=consumption.allowance,
    )


def purchase(
    entry_id: str, *, user_id: str, payment_id: str, hours: Decimal, at: datetime
) -> LedgerEntry:
    """The hours of a paid lab-hour pack, credited to the learner."""
    if hours <= 0:
        raise InvalidLedgerEntry(f"a pack adds hours, not {hours}", field="hours")
    return LedgerEntry(
        id=entry_id,
        user_id=user_id,
        session_id="",
        kind=EntryKind.PURCHASED,
        hours=hours.quantize(_HOUR_PLACES),
        period=Period.of(at),
        at=at,
        payment_id=payment_id,
    )


def take_back_pack(
    entry_id: str,
    *,
    bought: LedgerEntry,
    ledger: Iterable[LedgerEntry],
    hours: Decimal,
    at: datetime,
    reason: str,
) -> LedgerEntry | None:
    """A refund of the pack ``bought`` paid back ``hours`` of it: those hours leave the
    balance, but never more than is unspent, nor more than the pack had (all refunds of
    it together). None when nothing is left to take back."""
    if bought.kind is not EntryKind.PURCHASED:
        raise InvalidLedgerEntry("only a purchased pack can be taken back", field="refunds")
    entries = list(ledger)
    taken = sum((e.hours for e in _unique(entries) if e.refunds == bought.id), Decimal(0))
    amount = min(hours, bought.hours - taken, pack_balance(entries))
    if amount <= 0:
        return None
    return LedgerEntry(
        id=entry_id,
        user_id=bought.user_id,
        session_id="",
        kind=EntryKind.PACK_REFUNDED,
        hours=amount.quantize(_HOUR_PLACES),
        period=Period.of(at),
        at=at,
        reason=reason,
        refunds=bought.id,
        payment_id=bought.payment_id,
    )


# At one instant, sessions' entries come first, then packs bought, then packs' refunds:
# a pack pays for nothing consumed before it was bought.
_SAME_INSTANT_ORDER = {
    EntryKind.CONSUMED: 0,
    EntryKind.REFUNDED: 0,
    EntryKind.PURCHASED: 1,
    EntryKind.PACK_REFUNDED: 2,
}


def _unique(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """Each entry once (by id), oldest first."""
    return sorted(
        {entry.id: entry for entry in entries}.values(),
        key=lambda e: (e.at, _SAME_INSTANT_ORDER[e.kind], e.id),
    )


@dataclass
class _MonthDraw:
    """What one month's sessions took from the packs, and the overrun forgiven."""

    drawn: Decimal = Decimal(0)
    forgiven: Decimal = Decimal(0)
    consumed: Decimal = Decimal(0)


def pack_balance(
    entries: Iterable[LedgerEntry], allowances: Mapping[Period, Decimal] | None = None
) -> Decimal:
    """The pack hours one user has left.

    Entries are taken in time order, each once. A month's sessions draw on the packs for
    what they consumed beyond the month's allowance (``allowances`` when it names the
    month, e.g. the live one of the current month; else the allowance the session was
    launched under); what the packs cannot cover then is forgiven. A refund of a
    session gives back to the packs what that month had drawn from them first."""
    balance = Decimal(0)
    months: dict[Period, _MonthDraw] = {}
    for entry in _unique(entries):
        if entry.kind is EntryKind.PURCHASED:
            balance += entry.hours
            continue
        if entry.kind is EntryKind.PACK_REFUNDED:
            balance = max(Decimal(0), balance - entry.hours)
            continue
        month = months.setdefault(entry.period, _MonthDraw())
        month.consumed += entry.signed_hours
        allowance = (allowances or {}).get(entry.period, entry.allowance)
        if allowance is None:
            continue  # launched under no known allowance: never drawn on a pack
        wanted = max(Decimal(0), month.consumed - allowance)
        covered = month.drawn + month.forgiven
        if wanted > covered:
            need = wanted - covered
            take = min(balance, need)
            balance -= take
            month.drawn += take
            month.forgiven += need - take
        elif wanted < covered:
            excess = covered - wanted
            back = min(month.drawn, excess)
            month.drawn -= back
            balance += back
            month.forgiven -= excess - back
    return balance


def consumed(entries: Iterable[LedgerEntry], period: Period) -> Decimal:
    """Net hours one user consumed in ``period``: consumptions less their refunds."""
    return sum((entry.signed_hours for entry in entries if entry.period == period), Decimal(0))


def remaining(allowance_hours: Decimal, entries: Iterable[LedgerEntry], period: Period) -> Decimal:
    """What is left of one user's monthly allowance; never below zero (a session may
    run past the allowance, and the overrun is not carried into the next month)."""
    return max(Decimal(0), allowance_hours - consumed(entries, period))


def hours_left(allowance_hours: Decimal, entries: Iterable[LedgerEntry], period: Period) -> Decimal:
    """What remains of the allowance in ``period`` plus the pack hours left; ``entries``
    are all the user's entries (packs outlive their month)."""
    every = list(entries)
    return remaining(allowance_hours, every, period) + pack_balance(
        every, {period: allowance_hours}
    )


def ensure_hours_left(
    allowance_hours: Decimal, entries: Iterable[LedgerEntry], period: Period
) -> Decimal:
    """What remains in ``period`` (allowance and packs); refuses a launch when nothing does."""
    left = hours_left(allowance_hours, entries, period)
    if left <= 0:
        raise NotEntitled(f"no lab hours left in {period} (allowance {allowance_hours} h)")
    return left
