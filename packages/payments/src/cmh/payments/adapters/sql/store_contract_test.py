"""One contract for the in-memory stores and the SQL ones (SQLite, PostgreSQL): the fake
cannot drift from what the database does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from cmh.payments.adapters.sql.conftest import Stores
from cmh.payments.application.ports import StoredEvent
from cmh.payments.domain.payment import Payment, PaymentKind, PaymentStatus, Refund
from cmh.payments.domain.plans import TEAM_MONTHLY, Tier
from cmh.payments.domain.refund_saga import RefundSaga, SagaStatus
from cmh.payments.domain.subscription import (
    StripeSubscriptionState,
    Subscription,
    SubscriptionStatus,
)

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


async def test_a_stripe_event_is_stored_once_and_handed_out_until_processed(stores: Stores) -> None:
    event = StoredEvent(
        id=_id("evt"), type="invoice.paid", created=100, payload=b'{"a":1}', received_at=NOW
    )
    opened = await stores.open()
    assert await opened.events.add(event)
    assert not await opened.events.add(event)
    await opened.commit()
    again = await stores.open()
    assert not await again.events.add(event)
    pending = await again.events.next_pending(NOW, 10)
    assert pending is not None
    assert pending.payload == b'{"a":1}'
    await again.events.failed(event.id, "not yet", NOW + timedelta(seconds=2))
    await again.commit()
    later = await stores.open()
    assert await later.events.next_pending(NOW, 10) is None  # backing off
    due = await later.events.next_pending(NOW + timedelta(seconds=3), 10)
    assert due is not None
    assert (due.id, due.attempts) == (event.id, 1)
    await later.events.processed(event.id, NOW)
    await later.commit()
    done = await stores.open()
    stored = await done.events.get(event.id)
    assert stored is not None
    assert stored.processed_at is not None
    assert await done.events.unprocessed() == []


async def test_subscriptions_keep_their_state_and_seats(stores: Stores) -> None:
    owner, member = _id("u"), _id("m")
    subscription = Subscription.started(
        subscription_id=_id("sub"),
        user_id=owner,
        customer_id=_id("cus"),
        plan=TEAM_MONTHLY,
        state=StripeSubscriptionState(
            status=SubscriptionStatus.ACTIVE,
            plan_id=TEAM_MONTHLY.id,
            seats=3,
            cancel_at_period_end=False,
            current_period_end=NOW + timedelta(days=30),
        ),
        stripe_at=100,
        now=NOW,
    )
    subscription.assign_seat(member, NOW)
    opened = await stores.open()
    await opened.subscriptions.add(subscription)
    await opened.commit()
    read = await stores.open()
    found = await read.subscriptions.get(subscription.id)
    assert found is not None
    assert (found.status, found.seat_holders, found.stripe_seen_at) == (
        SubscriptionStatus.ACTIVE,
        [member],
        100,
    )
    assert [s.id for s in await read.subscriptions.covering(member)] == [subscription.id]
    assert found.tiers(NOW) == {owner: Tier.TEAM, member: Tier.TEAM}
    found.release_seat(member, NOW)
    await read.subscriptions.save(found)
    await read.commit()
    last = await stores.open()
    assert await last.subscriptions.covering(member) == []


async def test_payments_keep_their_refunds_and_are_found_by_charge(stores: Stores) -> None:
    payment = Payment(
        id=_id("in"),
        user_id=_id("u"),
        plan_id="pro_monthly",
        kind=PaymentKind.SUBSCRIPTION,
        amount_cents=1900,
        currency="usd",
        status=PaymentStatus.OPEN,
        created_at=NOW,
    )
    payment.paid(charge_id=_id("ch"), now=NOW)
    payment.refunded(Refund(_id("re"), 500, "requested_by_customer", NOW))
    opened = await stores.open()
    await opened.payments.add(payment)
    await opened.commit()
    read = await stores.open()
    found = await read.payments.by_charge(payment.charge_id or "")
    assert found is not None
    assert (found.refunded_cents, found.status) == (500, PaymentStatus.PARTIALLY_REFUNDED)
    assert payment.id in [p.id for p in await read.payments.refunded(100)]


async def test_customers_tier_changes_and_sagas(stores: Stores) -> None:
    user = _id("u")
    opened = await stores.open()
    await opened.customers.add(user, _id("cus"))
    await opened.tiers.want(user, Tier.PRO, "paid")
    assert await opened.sagas.add(RefundSaga.started(_id("lab"), user, NOW))
    await opened.commit()
    read = await stores.open()
    assert await read.customers.customer_of(user) is not None
    change = next(c for c in await read.tiers.pending() if c.user_id == user)
    await read.tiers.postpone(change, NOW + timedelta(minutes=1))
    saga = next(s for s in await read.sagas.open(100) if s.user_id == user)
    assert not await read.sagas.add(RefundSaga.started(saga.session_id, user, NOW))
    saga.hours_back(Decimal("1.5"), None, NOW)
    await read.sagas.save(saga)
    await read.commit()
    last = await stores.open()
    postponed = next(c for c in await last.tiers.pending() if c.user_id == user)
    assert postponed.attempts == 1
    stored = await last.sagas.get(saga.session_id)
    assert stored is not None
    assert (stored.status, stored.hours_restored) == (SagaStatus.COMPLETED, Decimal("1.5"))
    await last.tiers.done(postponed)
    await last.commit()
    gone = await stores.open()
    assert all(c.user_id != user for c in await gone.tiers.pending())
