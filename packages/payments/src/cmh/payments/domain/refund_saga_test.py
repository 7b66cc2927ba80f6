from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from cmh.payments.domain.payment import Payment, PaymentKind, PaymentStatus
from cmh.payments.domain.refund_saga import RefundSaga, SagaStatus, pro_rated_cents

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def pack() -> Payment:
    payment = Payment(
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
    payment.paid(charge_id="pi_1", now=NOW)
    return payment


def test_the_hours_share_of_the_pack_is_refunded_rounded_down_and_capped() -> None:
    assert pro_rated_cents(pack(), Decimal("1.5")) == 225
    assert pro_rated_cents(pack(), Decimal("0.33")) == 49
    assert pro_rated_cents(pack(), Decimal("40")) == 1500


def test_no_pack_or_no_hours_completes_without_money() -> None:
    saga = RefundSaga.started("s1", "u1", NOW)
    saga.hours_back(Decimal("1"), None, NOW)
    assert saga.status is SagaStatus.COMPLETED
    other = RefundSaga.started("s2", "u1", NOW)
    other.hours_back(Decimal("0"), pack(), NOW)
    assert (other.status, other.refund_cents) == (SagaStatus.COMPLETED, 0)


def test_hours_from_a_pack_are_refunded_then_the_saga_completes() -> None:
    saga = RefundSaga.started("s1", "u1", NOW)
    saga.step_failed("labs did not answer", NOW)
    saga.hours_back(Decimal("2"), pack(), NOW)
    assert (saga.status, saga.payment_id, saga.refund_cents) == (SagaStatus.REFUNDING, "cs_1", 300)
    saga.refunded("re_1", NOW)
    assert saga.status is SagaStatus.COMPLETED
    assert saga.attempts == 1
    assert saga.last_error is None


def test_only_the_hours_that_came_from_a_pack_are_refunded_in_money() -> None:
    within = RefundSaga.started("s1", "u1", NOW)
    within.hours_back(Decimal("1.5"), pack(), NOW, pack_hours=Decimal(0))
    assert (within.status, within.hours_restored, within.refund_cents) == (
        SagaStatus.COMPLETED,
        Decimal("1.5"),
        0,
    )
    partly = RefundSaga.started("s2", "u1", NOW)
    partly.hours_back(Decimal("1.5"), pack(), NOW, pack_hours=Decimal(1))
    assert (partly.status, partly.refund_cents) == (SagaStatus.REFUNDING, 150)
    never_more = RefundSaga.started("s3", "u1", NOW)
    never_more.hours_back(Decimal("1"), pack(), NOW, pack_hours=Decimal(5))
    assert never_more.refund_cents == 150
