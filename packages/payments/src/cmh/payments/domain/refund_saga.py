"""The refund saga of a lab session the platform failed: first the learner's lab hours
come back (a compensating entry in labs' ledger), then, when the learner bought lab-hour
packs, the pro-rated price of those hours is refunded through Stripe, once.

    restoring_hours -> refunding -> completed
    restoring_hours -> completed (no hours to give back, or none of them came from a pack)
    a failed step stays where it is and is tried again (``attempts``, ``last_error``)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from cmh.payments.domain.payment import Payment


class SagaStatus(StrEnum):
    RESTORING_HOURS = "restoring_hours"
    REFUNDING = "refunding"
    COMPLETED = "completed"


@dataclass
class RefundSaga:
    session_id: str
    user_id: str
    status: SagaStatus
    created_at: datetime
    updated_at: datetime
    hours_restored: Decimal | None = None
    payment_id: str | None = None
    refund_cents: int = 0
    refund_id: str | None = None
    attempts: int = 0
    last_error: str | None = None
    version: int = 0

    @classmethod
    def started(cls, session_id: str, user_id: str, now: datetime) -> RefundSaga:
        return cls(session_id, user_id, SagaStatus.RESTORING_HOURS, now, now)

    @property
    def open(self) -> bool:
        return self.status is not SagaStatus.COMPLETED

    def hours_back(
        self,
        hours: Decimal,
        pack: Payment | None,
        now: datetime,
        pack_hours: Decimal | None = None,
    ) -> None:
        """Labs gave ``hours`` back, ``pack_hours`` of them (all when not told) taken
        from lab-hour packs; ``pack`` is the newest paid pack with money left to refund:
        the pack hours' share of its price is refunded next (and labs takes those hours
        out of the pack balance when it hears of the refund). Hours that came from the
        monthly allowance are given back as hours only."""
        self.hours_restored = hours
        self.updated_at = now
        self.last_error = None
        paid_for = hours if pack_hours is None else min(hours, pack_hours)
        cents = pro_rated_cents(pack, paid_for) if pack is not None else 0
        if pack is None or cents <= 0:
            self.status = SagaStatus.COMPLETED
            return
        self.payment_id = pack.id
        self.refund_cents = cents
        self.status = SagaStatus.REFUNDING

    def refunded(self, refund_id: str, now: datetime) -> None:
        self.refund_id = refund_id
        self.status = SagaStatus.COMPLETED
        self.last_error = None
        self.updated_at = now

    def step_failed(self, error: str, now: datetime) -> None:
        self.attempts += 1
        self.last_error = error[:500]
        self.updated_at = now


def pro_rated_cents(pack: Payment, hours: Decimal) -> int:
    """The price of ``hours`` of the pack (whole cents, rounded down), never more than
    what is left to refund of it."""
    if pack.lab_hours <= 0:
        return 0
    share = (Decimal(pack.amount_cents) * hours / pack.lab_hours).quantize(
        Decimal(1), rounding=ROUND_DOWN
    )
    return min(int(share), pack.refundable_cents)
