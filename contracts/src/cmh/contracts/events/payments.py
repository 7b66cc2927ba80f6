"""Events published by the Payments context.

Payments travel on ``payments.payment`` keyed by the payment id (a Stripe invoice, or a
lab-hour pack's checkout), refunds with them; subscription changes on
``payments.subscription`` keyed by the subscription id, so one subscription's story stays
ordered. Money is a decimal string of ``currency`` (``"19.00"``), so no consumer rounds a
float.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from cmh.contracts.events.base import IntegrationEvent

PAYMENT_TOPIC = "payments.payment"
SUBSCRIPTION_TOPIC = "payments.subscription"


class PaymentSucceededV1(IntegrationEvent, frozen=True, kw_only=True):
    """Once per payment, when Stripe reports it paid. ``lab_hours``: the hours a lab-hour
    pack adds (labs credits them), 0 for a subscription's invoice."""

    TYPE: ClassVar[str] = "payment.succeeded"
    TOPIC: ClassVar[str] = PAYMENT_TOPIC
    payment_id: str
    user_id: str
    plan_id: str
    amount: str
    currency: str
    subscription_id: str | None
    paid_at: datetime
    lab_hours: int = 0


class PaymentFailedV1(IntegrationEvent, frozen=True, kw_only=True):
    """Once per failed attempt (``attempt`` counts Stripe's tries)."""

    TYPE: ClassVar[str] = "payment.failed"
    TOPIC: ClassVar[str] = PAYMENT_TOPIC
    payment_id: str
    user_id: str
    plan_id: str
    amount: str
    currency: str
    reason: str
    attempt: int
    failed_at: datetime


class SubscriptionChangedV1(IntegrationEvent, frozen=True, kw_only=True):
    """A move of the subscription's lifecycle (incomplete, trialing, active, past_due,
    unpaid, canceled, incomplete_expired) or of its plan, seats or cancellation;
    ``tier`` is what it gives now (past_due keeps the plan's tier through the grace
    period)."""

    TYPE: ClassVar[str] = "subscription.changed"
    TOPIC: ClassVar[str] = SUBSCRIPTION_TOPIC
    subscription_id: str
    user_id: str
    plan_id: str
    previous_status: str
    status: str
    tier: str
    seats: int
    cancel_at_period_end: bool
    current_period_end: datetime | None
    changed_at: datetime


class RefundIssuedV1(IntegrationEvent, frozen=True, kw_only=True):
    """Once per Stripe refund. ``lab_hours``: for a lab-hour pack, the hours this refund
    pays back (its share of the pack's price, a decimal string; labs takes back what of
    them is unspent), "0" for a subscription's invoice."""

    TYPE: ClassVar[str] = "refund.issued"
    TOPIC: ClassVar[str] = PAYMENT_TOPIC
    refund_id: str
    payment_id: str
    user_id: str
    amount: str
    currency: str
    reason: str
    issued_at: datetime
    lab_hours: str = "0"
