"""Demo data of the Payments context: the pro demo learner's paid pro subscription and its
first invoice, so their billing page shows what a subscriber sees. Demo data is not news:
nothing is published, and users already has the pro tier from its own seed. Seeding again
changes nothing."""

from __future__ import annotations

from datetime import timedelta

from dishka import AsyncContainer

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.ports import (
    CustomerRepository,
    PaymentRepository,
    SubscriptionRepository,
)
from cmh.payments.domain.payment import Payment, PaymentKind, PaymentStatus
from cmh.payments.domain.plans import PRO_MONTHLY
from cmh.payments.domain.subscription import (
    StripeSubscriptionState,
    Subscription,
    SubscriptionStatus,
)

DEMO_SUBSCRIPTION = "sub_demo_pro"
DEMO_CUSTOMER = "cus_demo_pro"
DEMO_INVOICE = "in_demo_pro_1"


async def seed_demo_subscription(container: AsyncContainer, *, user_id: str) -> bool:
    """True when it was created now."""
    async with container() as request:
        subscriptions = await request.get(SubscriptionRepository)
        payments = await request.get(PaymentRepository)
        customers = await request.get(CustomerRepository)
        uow = await request.get(UnitOfWork)
        now = (await request.get(Clock)).now()
        async with uow:
            if await subscriptions.get(DEMO_SUBSCRIPTION) is not None:
                return False
            subscription = Subscription.started(
                subscription_id=DEMO_SUBSCRIPTION,
                user_id=user_id,
                customer_id=DEMO_CUSTOMER,
                plan=PRO_MONTHLY,
                state=StripeSubscriptionState(
                    status=SubscriptionStatus.ACTIVE,
                    plan_id=PRO_MONTHLY.id,
                    seats=1,
                    cancel_at_period_end=False,
                    current_period_end=now + timedelta(days=30),
                ),
                stripe_at=int(now.timestamp()),
                now=now,
            )
            invoice = Payment(
                id=DEMO_INVOICE,
                user_id=user_id,
                plan_id=PRO_MONTHLY.id,
                kind=PaymentKind.SUBSCRIPTION,
                amount_cents=PRO_MONTHLY.amount_cents(),
                currency=PRO_MONTHLY.currency,
                status=PaymentStatus.OPEN,
                created_at=now,
                subscription_id=DEMO_SUBSCRIPTION,
            )
            invoice.paid(charge_id="ch_demo_pro_1", now=now)
            subscription.events.clear()
            invoice.events.clear()
            if await customers.customer_of(user_id) is None:
                await customers.add(user_id, DEMO_CUSTOMER)
            await subscriptions.add(subscription)
            await payments.add(invoice)
            await uow.commit()
    return True
