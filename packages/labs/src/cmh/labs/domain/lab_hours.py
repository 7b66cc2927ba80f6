"""The lab-hours ledger: what each learner consumed, per calendar month (UTC).

Users owns the allowance per tier; labs owns this ledger. Entries are never changed
or deleted: a refund (a platform failure, a goodwill gesture) is a compensating entry
that names the consumption it gives back and counts in that consumption's month.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from cmh.labs.domain.errors import InvalidLedgerEntry, NotEntitled

_HOUR_PLACES = Decimal("0.000001")


class EntryKind(StrEnum):
    CONSUMED = "consumed"
    REFUNDED = "refunded"


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
    # For a refund: the consumption it compensates.
    refunds: str | None = None

    @property
    def signed_hours(self) -> Decimal:
        return self.hours if self.kind is EntryKind.CONSUMED else -self.hours


def consume(
    entry_id: str, *, user_id: str, session_id: str, used: timedelta, at: datetime
) -> LedgerEntry:
    """The learner's time in a session, charged to the month in which it ended."""
    return LedgerEntry(
        id=entry_id,
        user_id=user_id,
        session_id=session_id,
        kind=EntryKind.CONSUMED,
        hours=hours_used(used),
        period=Period.of(at),
        at=at,
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
    )


def consumed(entries: Iterable[LedgerEntry], period: Period) -> Decimal:
    """Net hours one user consumed in ``period``: consumptions less their refunds."""
    return sum((entry.signed_hours for entry in entries if entry.period == period), Decimal(0))


def remaining(allowance_hours: Decimal, entries: Iterable[LedgerEntry], period: Period) -> Decimal:
    """What is left of one user's monthly allowance; never below zero (a session may
    run past the allowance, and the overrun is not carried into the next month)."""
    return max(Decimal(0), allowance_hours - consumed(entries, period))


def ensure_hours_left(
    allowance_hours: Decimal, entries: Iterable[LedgerEntry], period: Period
) -> Decimal:
    """What remains of the allowance in ``period``; refuses a launch when nothing does."""
    left = remaining(allowance_hours, entries, period)
    if left <= 0:
        raise NotEntitled(f"no lab hours left in {period} (allowance {allowance_hours} h)")
    return left
