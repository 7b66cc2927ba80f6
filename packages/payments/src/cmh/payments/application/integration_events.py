"""The one place domain events of Payments become contract events: ``PAYMENTS_EVENTS``,
the map the unit of work applies at commit to what the aggregates it tracks recorded."""

from __future__ import annotations

from typing import Any

from cmh.contracts.events.payments import (
    PaymentFailedV1,
    PaymentSucceededV1,
    RefundIssuedV1,
    SubscriptionChangedV1,
)
from cmh.kernel.event_mapping import EventMap, Outgoing
from cmh.payments.application.views import money
from cmh.payments.domain.events import (
    PaymentFailed,
    PaymentSucceeded,
    RefundIssued,
    SeatsChanged,
    SubscriptionChanged,
)


def to_contracts(event: Any) -> Outgoing | None:
    """The contract event of a domain event, keyed by its aggregate; None for facts that
    stay inside Payments (seat assignments: their effect reaches users as a tier)."""
    match event:
        case SubscriptionChanged():
            return Outgoing(
                SubscriptionChangedV1(
                    subscription_id=event.subscription_id,
                    user_id=event.user_id,
                    plan_id=event.plan_id,
                    previous_status=event.previous_status,
                    status=event.status,
                    tier=event.tier,
                    seats=event.seats,
                    cancel_at_period_end=event.cancel_at_period_end,
                    current_period_end=event.current_period_end,
                    changed_at=event.at,
                ),
                event.subscription_id,
            )
        case PaymentSucceeded():
            return Outgoing(
                PaymentSucceededV1(
                    payment_id=event.payment_id,
                    user_id=event.user_id,
                    plan_id=event.plan_id,
                    amount=money(event.amount_cents),
                    currency=event.currency,
                    subscription_id=event.subscription_id,
                    paid_at=event.at,
                    lab_hours=event.lab_hours,
                ),
                event.payment_id,
            )
        case PaymentFailed():
            return Outgoing(
                PaymentFailedV1(
                    payment_id=event.payment_id,
                    user_id=event.user_id,
                    plan_id=event.plan_id,
                    amount=money(event.amount_cents),
                    currency=event.currency,
                    reason=event.reason,
                    attempt=event.attempt,
                    failed_at=event.at,
                ),
                event.payment_id,
            )
        case RefundIssued():
            return Outgoing(
                RefundIssuedV1(
                    refund_id=event.refund_id,
                    payment_id=event.payment_id,
                    user_id=event.user_id,
                    amount=money(event.amount_cents),
                    currency=event.currency,
                    reason=event.reason,
                    issued_at=event.at,
                    lab_hours=str(event.lab_hours),
                ),
                event.payment_id,
            )
    return None


PAYMENTS_EVENTS = EventMap(
    dict.fromkeys(
        (SubscriptionChanged, SeatsChanged, PaymentSucceeded, PaymentFailed, RefundIssued),
        to_contracts,
    )
)
