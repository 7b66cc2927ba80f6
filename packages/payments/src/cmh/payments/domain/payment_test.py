from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from cmh.payments.domain.errors import RefundTooLarge
from cmh.payments.domain.events import PaymentFailed, PaymentSucceeded, RefundIssued
from cmh.payments.domain.payment import Payment, PaymentKind, PaymentStatus, Refund

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def invoice() -> Payment:
    return Payment(
        id="in_1",
        user_id="u1",
        plan_id="pro_monthly",
        kind=PaymentKind.SUBSCRIPTION,
        amount_cents=1900,
        currency="usd",
        status=PaymentStatus.OPEN,
        created_at=NOW,
        subscription_id="sub_1",
    )


def test_a_payment_is_paid_once_and_each_failed_attempt_told_once() -> None:
    payment = invoice()
    assert payment.failed(attempt=1, reason="card_declined", now=NOW)
    assert not payment.failed(attempt=1, reason="card_declined", now=NOW)
    assert payment.paid(charge_id="ch_1", now=NOW)
    assert not payment.paid(charge_id="ch_1", now=NOW)
    assert not payment.failed(attempt=2, reason="late", now=NOW)
    assert [type(e) for e in payment.events] == [PaymentFailed, PaymentSucceeded]
    assert payment.status is PaymentStatus.PAID


def test_refunds_are_recorded_once_and_never_beyond_what_was_paid() -> None:
    payment = invoice()
    payment.paid(charge_id="ch_1", now=NOW)
    assert payment.refunded(Refund("re_1", 900, "requested_by_customer", NOW))
    assert not payment.refunded(Refund("re_1", 900, "requested_by_customer", NOW))
    assert payment.status is PaymentStatus.PARTIALLY_REFUNDED
    with pytest.raises(RefundTooLarge):
        payment.refunded(Refund("re_2", 1001, "duplicate", NOW))
    assert payment.refunded(Refund("re_3", 1000, "duplicate", NOW))
    assert payment.status.value == "refunded"
    assert payment.refundable_cents == 0
    assert [type(e) for e in payment.events].count(RefundIssued) == 2


def test_an_unpaid_payment_has_nothing_to_refund() -> None:
    with pytest.raises(RefundTooLarge):
        invoice().refunded(Refund("re_1", 1, "x", NOW))


def test_a_pack_s_payment_and_refunds_tell_the_lab_hours_they_are_for() -> None:
    pack = Payment(
        id="cs_1",
        user_id="u1",
        plan_id="lab_hours_10",
        kind=PaymentKind.LAB_HOURS_PACK,
        amount_cents=1500,
        currency="usd",
        status=PaymentStatus.OPEN,
        created_at=NOW,
        lab_hours=10,
    )
    assert pack.paid(charge_id="pi_1", now=NOW)
    assert pack.refunded(Refund("re_1", 225, "saga", NOW))
    assert pack.refunded(Refund("re_2", 49, "saga", NOW))
    assert pack.refunded(Refund("re_3", 1226, "requested_by_customer", NOW))
    succeeded, *refunds = pack.events
    assert isinstance(succeeded, PaymentSucceeded)
    assert succeeded.lab_hours == 10
    # Each refund's share of the hours, rounded down to the ledger's places.
    assert [r.lab_hours for r in refunds if isinstance(r, RefundIssued)] == [
        Decimal("1.5"),
        Decimal("0.326666"),
        Decimal("8.173333"),
    ]
    subscription = invoice()
    subscription.lab_hours = 10  # an invoice carries no pack hours, whatever it says
    subscription.paid(charge_id="ch_1", now=NOW)
    subscription.refunded(Refund("re_4", 100, "x", NOW))
    assert [getattr(e, "lab_hours", None) for e in subscription.events] == [0, Decimal(0)]
