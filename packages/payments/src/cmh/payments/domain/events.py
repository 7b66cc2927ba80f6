"""The facts the Payments aggregates record (kernel ``recorded_events``); the mapper in
``application/integration_events.py`` turns them into ``payment.*``, ``subscription.*``
and ``refund.*`` contract events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class SubscriptionChanged:
    subscription_id: str
    user_id: str
    plan_id: str
    previous_status: str
    status: str
    tier: str
    seats: int
    cancel_at_period_end: bool
    current_period_end: datetime | None
    at: datetime


@dataclass(frozen=True)
class SeatsChanged:
    """A team owner gave or took back a seat (stays inside Payments: the tier sync
    carries the effect to users)."""

    subscription_id: str
    member_id: str
    assigned: bool
    at: datetime


@dataclass(frozen=True)
class PaymentSucceeded:
    payment_id: str
    user_id: str
    plan_id: str
    amount_cents: int
    currency: str
    subscription_id: str | None
    at: datetime
    lab_hours: int = 0  # what a lab-hour pack adds


@dataclass(frozen=True)
class PaymentFailed:
    payment_id: str
    user_id: str
    plan_id: str
    amount_cents: int
    currency: str
    reason: str
    attempt: int
    at: datetime


@dataclass(frozen=True)
class RefundIssued:
    refund_id: str
    payment_id: str
    user_id: str
    amount_cents: int
    currency: str
    reason: str
    at: datetime
    lab_hours: Decimal = Decimal(0)  # of a lab-hour pack: the hours this refund pays back
