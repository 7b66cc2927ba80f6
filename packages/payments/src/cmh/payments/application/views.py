"""What the Payments queries and commands answer: the HTTP bodies."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import msgspec

from cmh.payments.domain.payment import Payment
from cmh.payments.domain.plans import Plan
from cmh.payments.domain.refund_saga import RefundSaga
from cmh.payments.domain.subscription import Subscription


def money(cents: int) -> str:
    """Whole cents as a decimal string (``1900`` -> ``"19.00"``)."""
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))


class PlanView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    kind: str
    tier: str
    interval: str
    unit_amount: str
    currency: str
    lab_hours: int
    min_quantity: int
    max_quantity: int


def plan_view(plan: Plan) -> PlanView:
    return PlanView(
        id=plan.id,
        name=plan.name,
        kind=plan.kind.value,
        tier=plan.tier.value,
        interval=plan.interval.value,
        unit_amount=money(plan.unit_amount_cents),
        currency=plan.currency,
        lab_hours=plan.lab_hours,
        min_quantity=plan.min_quantity,
        max_quantity=plan.max_quantity,
    )


class CheckoutView(msgspec.Struct, frozen=True, kw_only=True):
    checkout_url: str
    session_id: str


class PortalView(msgspec.Struct, frozen=True, kw_only=True):
    url: str


class SubscriptionView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    user_id: str
    plan_id: str
    status: str
    tier: str
    seats: int
    seat_holders: list[str]
    cancel_at_period_end: bool
    current_period_end: datetime | None
    grace_ends_at: datetime | None
    updated_at: datetime


def subscription_view(subscription: Subscription, now: datetime) -> SubscriptionView:
    return SubscriptionView(
        id=subscription.id,
        user_id=subscription.user_id,
        plan_id=subscription.plan_id,
        status=subscription.status.value,
        tier=subscription.tier(now).value,
        seats=subscription.seats,
        seat_holders=list(subscription.seat_holders),
        cancel_at_period_end=subscription.cancel_at_period_end,
        current_period_end=subscription.current_period_end,
        grace_ends_at=subscription.grace_ends_at if subscription.in_grace else None,
        updated_at=subscription.updated_at,
    )


class RefundView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    amount: str
    reason: str
    at: datetime


class PaymentView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    user_id: str
    plan_id: str
    kind: str
    status: str
    amount: str
    refunded: str
    currency: str
    subscription_id: str | None
    created_at: datetime
    paid_at: datetime | None
    refunds: list[RefundView]


def payment_view(payment: Payment) -> PaymentView:
    return PaymentView(
        id=payment.id,
        user_id=payment.user_id,
        plan_id=payment.plan_id,
        kind=payment.kind.value,
        status=payment.status.value,
        amount=money(payment.amount_cents),
        refunded=money(payment.refunded_cents),
        currency=payment.currency,
        subscription_id=payment.subscription_id,
        created_at=payment.created_at,
        paid_at=payment.paid_at,
        refunds=[
            RefundView(id=r.id, amount=money(r.amount_cents), reason=r.reason, at=r.at)
            for r in payment.refunds
        ],
    )


class WebhookReceipt(msgspec.Struct, frozen=True, kw_only=True):
    """``duplicate``: this event id was received before (nothing more is done)."""

    event_id: str
    duplicate: bool


class TierSyncView(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    tier: str
    attempts: int


class RefundSagaView(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    user_id: str
    status: str
    hours_restored: str | None
    payment_id: str | None
    refund: str
    refund_id: str | None
    attempts: int
    last_error: str | None
    updated_at: datetime


def refund_saga_view(saga: RefundSaga) -> RefundSagaView:
    return RefundSagaView(
        session_id=saga.session_id,
        user_id=saga.user_id,
        status=saga.status.value,
        hours_restored=str(saga.hours_restored) if saga.hours_restored is not None else None,
        payment_id=saga.payment_id,
        refund=money(saga.refund_cents),
        refund_id=saga.refund_id,
        attempts=saga.attempts,
        last_error=saga.last_error,
        updated_at=saga.updated_at,
    )
