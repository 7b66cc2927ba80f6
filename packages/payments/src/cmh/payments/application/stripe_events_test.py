"""What Stripe's events do, through the same intake and background work as in the apps:
delivered twice or out of order, the result is the same; a failed payment keeps access
through the grace period; refunds and lab-hour packs are recorded once."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmh.contracts.events.payments import PaymentSucceededV1, RefundIssuedV1
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.payments.application.conftest import Billing, checkout_session, invoice, subscription
from cmh.payments.application.handle_user_erasure import HandleUserErasure
from cmh.payments.application.manage_seats import ManageSeats
from cmh.payments.application.my_payments import MyPayments
from cmh.payments.application.my_subscription import MySubscription
from cmh.payments.application.start_checkout import StartCheckout
from cmh.payments.application.start_refund_saga import StartRefundSaga
from cmh.payments.domain.errors import NoSeatLeft
from cmh.payments.domain.payment import ERASED_USER
from cmh.payments.domain.plans import Tier
from cmh_testing.payments import memory_payments

U1 = Principal(user_id="u1", roles=frozenset({"learner"}))


async def mine(billing: Billing) -> tuple[str, str]:
    async with billing.container() as request:
        view = await (await request.get(MySubscription)).execute(U1)
    return view.status, view.tier


async def test_a_paid_checkout_makes_the_learner_pro_and_tells_it_once(billing: Billing) -> None:
    await billing.deliver("evt_1", "checkout.session.completed", 100, checkout_session())
    await billing.deliver("evt_2", "customer.subscription.created", 101, subscription("active"))
    await billing.deliver("evt_3", "invoice.paid", 102, invoice())
    for event_id, kind in (("evt_2", "customer.subscription.created"), ("evt_3", "invoice.paid")):
        again = await billing.deliver(event_id, kind, 102, invoice())
        assert again.duplicate
    assert await billing.work() == 4  # three events, one tier carried
    assert await mine(billing) == ("active", "pro")
    assert (await billing.users()).tiers == {"u1": Tier.PRO}
    published = await billing.published()
    assert published.count("payment.succeeded") == 1
    assert published.count("subscription.changed") == 1


async def test_an_invoice_before_its_subscription_waits_and_then_counts(billing: Billing) -> None:
    await billing.deliver("evt_3", "invoice.paid", 102, invoice())
    await billing.work()
    assert (await billing.published()) == []
    await billing.deliver("evt_2", "customer.subscription.created", 101, subscription("active"))
    await billing.work()
    billing.clock.advance(timedelta(minutes=1))  # past the invoice's backoff
    await billing.work()
    async with billing.container() as request:
        payments = await (await request.get(MyPayments)).execute(U1)
    assert [(p.id, p.status) for p in payments] == [("in_1", "paid")]
    assert (await billing.published()).count("payment.succeeded") == 1


async def test_an_older_update_arriving_last_never_overwrites_the_newer_state(
    billing: Billing,
) -> None:
    await billing.deliver("evt_2", "customer.subscription.created", 100, subscription("active"))
    await billing.deliver("evt_9", "customer.subscription.deleted", 300, subscription("canceled"))
    await billing.deliver("evt_5", "customer.subscription.updated", 200, subscription("past_due"))
    await billing.work()
    assert await mine(billing) == ("canceled", "free")
    assert (await billing.users()).tiers == {"u1": Tier.FREE}


async def test_a_failed_payment_keeps_pro_through_the_grace_period_then_free(
    billing: Billing,
) -> None:
    await billing.deliver("evt_2", "customer.subscription.created", 100, subscription("active"))
    await billing.deliver("evt_4", "invoice.payment_failed", 200, invoice("in_2", paid=False))
    await billing.work()
    assert await mine(billing) == ("past_due", "pro")
    assert "payment.failed" in await billing.published()
    billing.clock.advance(timedelta(days=7))
    await billing.work()
    assert await mine(billing) == ("unpaid", "free")
    assert (await billing.users()).tiers == {"u1": Tier.FREE}
    await billing.deliver("evt_6", "invoice.paid", 400, invoice("in_2"))
    await billing.work()
    assert await mine(billing) == ("active", "pro")
    assert (await billing.users()).tiers == {"u1": Tier.PRO}


async def test_refunds_and_lab_hour_packs_are_recorded_once(billing: Billing) -> None:
    await billing.deliver(
        "evt_1", "checkout.session.completed", 100, checkout_session("payment", "lab_hours_10")
    )
    charge = {
        "id": "ch_9",
        "object": "charge",
        "payment_intent": "pi_1",
        "refunds": {
            "data": [
                {"id": "re_1", "amount": 500, "reason": "requested_by_customer", "created": 150}
            ]
        },
    }
    await billing.deliver("evt_7", "charge.refunded", 150, charge)
    await billing.deliver("evt_8", "charge.refunded", 151, charge)  # Stripe tells again
    await billing.work()
    async with billing.container() as request:
        payments = await (await request.get(MyPayments)).execute(U1)
    assert [(p.plan_id, p.status, p.refunded) for p in payments] == [
        ("lab_hours_10", "partially_refunded", "5.00")
    ]
    published = await billing.published()
    assert (published.count("payment.succeeded"), published.count("refund.issued")) == (1, 1)


STORY = [
    ("evt_1", "checkout.session.completed", 100, checkout_session()),
    ("evt_2", "customer.subscription.created", 101, subscription("incomplete")),
    ("evt_3", "customer.subscription.updated", 102, subscription("active")),
    ("evt_4", "invoice.paid", 102, invoice()),
    (
        "evt_5",
        "customer.subscription.updated",
        200,
        subscription("active", cancel_at_period_end=True),
    ),
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.permutations(range(len(STORY))),
    replays=st.lists(st.integers(0, len(STORY) - 1), max_size=5),
)
async def test_any_delivery_order_ends_in_the_same_state(
    order: list[int], replays: list[int]
) -> None:
    clock = FrozenClock(datetime(2026, 11, 30, 12, tzinfo=UTC))
    billing = Billing(memory_payments(clock), clock)
    try:
        for index in itertools.chain(order, replays):
            await billing.deliver(*STORY[index])
        for _ in range(4):  # events that came too early wait their backoff
            await billing.work()
            clock.advance(timedelta(minutes=6))
        async with billing.container() as request:
            view = await (await request.get(MySubscription)).execute(U1)
        assert (view.status, view.tier, view.cancel_at_period_end) == ("active", "pro", True)
        assert (await billing.users()).tiers == {"u1": Tier.PRO}
        assert (await billing.published()).count("payment.succeeded") == 1
    finally:
        await billing.container.close()


async def test_a_trial_gives_the_plan_s_tier(billing: Billing) -> None:
    await billing.deliver("evt_2", "customer.subscription.created", 100, subscription("trialing"))
    await billing.work()
    assert await mine(billing) == ("trialing", "pro")


async def test_a_team_owner_gives_seats_and_members_get_the_team_tier(billing: Billing) -> None:
    team = subscription("active", plan="team_monthly", quantity=3)
    await billing.deliver("evt_2", "customer.subscription.created", 100, team)
    await billing.work()
    async with billing.container() as request:
        seats = await request.get(ManageSeats)
        await seats.execute(U1, "m1", True)
    async with billing.container() as request:
        view = await (await request.get(ManageSeats)).execute(U1, "m2", True)
    assert view.seat_holders == ["m1", "m2"]
    async with billing.container() as request:
        with pytest.raises(NoSeatLeft):
            await (await request.get(ManageSeats)).execute(U1, "m3", True)
    await billing.work()
    assert (await billing.users()).tiers == {"u1": Tier.TEAM, "m1": Tier.TEAM, "m2": Tier.TEAM}
    async with billing.container() as request:
        await (await request.get(ManageSeats)).execute(U1, "m1", False)
    await billing.work()
    assert (await billing.users()).tiers["m1"] is Tier.FREE


async def test_erasure_deletes_the_stripe_customer_and_keeps_invoices_anonymised(
    billing: Billing,
) -> None:
    async with billing.container() as request:
        await (await request.get(StartCheckout)).execute(U1, "pro_monthly", 1)
    stand_in = await billing.stand_in()
    assert len(stand_in.customers) == 1
    await billing.deliver("evt_2", "customer.subscription.created", 100, subscription("active"))
    await billing.deliver("evt_3", "invoice.paid", 101, invoice())
    await billing.work()
    for _ in range(2):  # the erasure event may come twice
        async with billing.container() as request:
            await (await request.get(HandleUserErasure)).execute("u1")
    assert stand_in.customers == {}
    async with billing.container() as request:
        assert await (await request.get(MyPayments)).execute(U1) == []
        erased = await (await request.get(MyPayments)).execute(
            Principal(user_id=ERASED_USER, roles=frozenset())
        )
    assert [(p.id, p.amount) for p in erased] == [("in_1", "19.00")]


async def test_a_failed_lab_gives_the_hours_back_and_refunds_the_pack_s_share_once(
    billing: Billing,
) -> None:
    async with billing.container() as request:
        checkout = await (await request.get(StartCheckout)).execute(U1, "lab_hours_10", 1)
    stand_in = await billing.stand_in()
    stand_in.http = None
    # The stand-in's own record of the pack's charge, as its pay page would leave it.
    session = stand_in.sessions[checkout.session_id]
    session.update(payment_intent="pi_pack", payment_status="paid", status="complete")
    stand_in.charges["ch_pack"] = {
        "id": "ch_pack", "amount": 1500, "amount_refunded": 0, "payment_intent": "pi_pack",
        "refunds": {"data": []}, "refunded": False,
    }  # fmt: skip
    paid = checkout_session("payment", "lab_hours_10") | {
        "id": checkout.session_id,
        "payment_intent": "pi_pack",
    }
    await billing.deliver("evt_1", "checkout.session.completed", 100, paid)
    await billing.work()
    labs = await billing.lab_hours()
    labs.available = False
    for _ in range(2):  # lab.session_ended may come twice
        async with billing.container() as request:
            await (await request.get(StartRefundSaga)).execute("lab-1", "u1", "failed_platform")
    async with billing.container() as request:
        await (await request.get(StartRefundSaga)).execute("lab-2", "u1", "completed")
    await billing.work()
    assert (await billing.sagas())[0].status == "restoring_hours"
    labs.available = True
    await billing.work()
    await billing.work()
    sagas = await billing.sagas()
    assert [(s.session_id, s.status, s.hours_restored, s.refund) for s in sagas] == [
        ("lab-1", "completed", "1.5", "2.25")
    ]
    assert labs.refunded == {"lab-1": Decimal("1.5")}
    assert [r["amount"] for r in stand_in.charges["ch_pack"]["refunds"]["data"]] == [225]
    assert (await billing.published()).count("refund.issued") == 1
    # Labs credits the pack from payment.succeeded and takes the refunded share back.
    told = (await billing.container.get(InMemoryUnitOfWork)).committed
    assert [e.lab_hours for e in told if isinstance(e, PaymentSucceededV1)] == [10]
    assert [e.lab_hours for e in told if isinstance(e, RefundIssuedV1)] == ["1.500000"]


async def test_hours_a_failed_lab_took_from_the_allowance_are_not_refunded_in_money(
    billing: Billing,
) -> None:
    async with billing.container() as request:
        checkout = await (await request.get(StartCheckout)).execute(U1, "lab_hours_10", 1)
    stand_in = await billing.stand_in()
    stand_in.http = None
    paid = checkout_session("payment", "lab_hours_10") | {
        "id": checkout.session_id,
        "payment_intent": "pi_pack",
    }
    await billing.deliver("evt_1", "checkout.session.completed", 100, paid)
    await billing.work()
    labs = await billing.lab_hours()
    labs.pack_hours = Decimal(0)  # labs: every hour given back came from the allowance
    async with billing.container() as request:
        await (await request.get(StartRefundSaga)).execute("lab-1", "u1", "failed_platform")
    await billing.work()
    sagas = await billing.sagas()
    assert [(s.status, s.hours_restored, s.refund) for s in sagas] == [("completed", "1.5", "0.00")]
    assert "refund.issued" not in await billing.published()
