"""A payment: a subscription's invoice or a lab-hour pack's checkout, with its refunds.

Stripe sends ``invoice.paid`` / ``invoice.payment_failed`` once per attempt and may send
each again: a payment is paid once (one ``PaymentSucceeded``), each failed attempt is told
once, and each refund (Stripe's refund id) is recorded once and never beyond what was
paid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from cmh.kernel.domain_events import recorded_events
from cmh.payments.domain.errors import RefundTooLarge
from cmh.payments.domain.events import PaymentFailed, PaymentSucceeded, RefundIssued

ERASED_USER = "erased"
HOUR_PLACES = Decimal("0.000001")


class PaymentStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    FAILED = "failed"
    REFUNDED = "refunded"  # every cent given back
    PARTIALLY_REFUNDED = "partially_refunded"


class PaymentKind(StrEnum):
    SUBSCRIPTION = "subscription"  # a subscription's invoice
    LAB_HOURS_PACK = "lab_hours_pack"  # a one-off checkout


@dataclass(frozen=True)
class Refund:
    id: str
    amount_cents: int
    reason: str
    at: datetime


@dataclass
class Payment:
    id: str  # Stripe's invoice id, or the checkout session's for a pack
    user_id: str
    plan_id: str
    kind: PaymentKind
    amount_cents: int
    currency: str
    status: PaymentStatus
    created_at: datetime
    subscription_id: str | None = None
    charge_id: str | None = None
    paid_at: datetime | None = None
    failed_attempts: int = 0
    lab_hours: int = 0
    refunds: list[Refund] = field(default_factory=list)
    version: int = 0
    events: list[object] = recorded_events()

    @property
    def refunded_cents(self) -> int:
        return sum(refund.amount_cents for refund in self.refunds)

    @property
    def refundable_cents(self) -> int:
        return self.amount_cents - self.refunded_cents if self.paid_at else 0

    def paid(self, *, charge_id: str | None, now: datetime) -> bool:
        if self.paid_at is not None:
            return False
        self.paid_at = now
        self.charge_id = charge_id or self.charge_id
        self.status = PaymentStatus.PAID
        self.events.append(
            PaymentSucceeded(
                payment_id=self.id,
                user_id=self.user_id,
                plan_id=self.plan_id,
                amount_cents=self.amount_cents,
                currency=self.currency,
                subscription_id=self.subscription_id,
                at=now,
                lab_hours=self.lab_hours if self.kind is PaymentKind.LAB_HOURS_PACK else 0,
            )
        )
        return True

    def failed(self, *, attempt: int, reason: str, now: datetime) -> bool:
        """Attempt ``attempt`` (Stripe's ``attempt_count``) failed; told once per attempt."""
        if self.paid_at is not None or attempt <= self.failed_attempts:
            return False
        self.failed_attempts = attempt
        self.status = PaymentStatus.FAILED
        self.events.append(
            PaymentFailed(
                payment_id=self.id,
                user_id=self.user_id,
                plan_id=self.plan_id,
                amount_cents=self.amount_cents,
                currency=self.currency,
                reason=reason,
                attempt=attempt,
                at=now,
            )
        )
        return True

    def refunded(self, refund: Refund) -> bool:
        if any(known.id == refund.id for known in self.refunds):
            return False
        if refund.amount_cents <= 0 or refund.amount_cents > self.refundable_cents:
            raise RefundTooLarge(
                f"{refund.amount_cents} cents exceeds the {self.refundable_cents} refundable",
                field="amount_cents",
            )
        self.refunds.append(refund)
        self.status = (
            PaymentStatus.REFUNDED
            if self.refundable_cents == 0
            else PaymentStatus.PARTIALLY_REFUNDED
        )
        self.events.append(
            RefundIssued(
                refund_id=refund.id,
                payment_id=self.id,
                user_id=self.user_id,
                amount_cents=refund.amount_cents,
                currency=self.currency,
                reason=refund.reason,
                at=refund.at,
                lab_hours=self.hours_paid_back(refund.amount_cents),
            )
        )
        return True

    def hours_paid_back(self, cents: int) -> Decimal:
        """A lab-hour pack's hours that ``cents`` of its price pay for (0 for others)."""
        if self.kind is not PaymentKind.LAB_HOURS_PACK or self.amount_cents <= 0:
            return Decimal(0)
        share = Decimal(self.lab_hours) * cents / self.amount_cents
        return min(Decimal(self.lab_hours), share).quantize(HOUR_PLACES, rounding=ROUND_DOWN)

    def anonymise(self) -> None:
        """The user asked to be erased: the record stays (bookkeeping law), without
        whom it was for."""
        self.user_id = ERASED_USER
