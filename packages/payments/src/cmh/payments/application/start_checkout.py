"""A signed-in learner starts paying for a plan: a Stripe Checkout Session (subscription
or, for a lab-hour pack, a one-off payment). Someone already subscribed changes plan
instead (``ChangeMyPlan``, prorated)."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import IdGenerator
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.customers import customer_for
from cmh.payments.application.policy import BillingPolicy
from cmh.payments.application.ports import (
    CheckoutRequest,
    CustomerRepository,
    StripeGateway,
    SubscriptionRepository,
)
from cmh.payments.application.views import CheckoutView
from cmh.payments.domain.errors import AlreadySubscribed
from cmh.payments.domain.plans import PlanCatalog


class StartCheckout:
    def __init__(
        self,
        catalog: PlanCatalog,
        customers: CustomerRepository,
        subscriptions: SubscriptionRepository,
        stripe: StripeGateway,
        policy: BillingPolicy,
        uow: UnitOfWork,
        ids: IdGenerator,
    ) -> None:
        self._catalog = catalog
        self._customers = customers
        self._subscriptions = subscriptions
        self._stripe = stripe
        self._policy = policy
        self._uow = uow
        self._ids = ids

    async def execute(self, caller: Principal, plan_id: str, quantity: int) -> CheckoutView:
        plan = self._catalog.purchasable(plan_id)
        quantity = plan.checked_quantity(quantity)
        async with self._uow:
            if plan.recurring and any(
                s.status.value in ("active", "trialing", "past_due")
                for s in await self._subscriptions.of_user(caller.user_id)
            ):
                raise AlreadySubscribed(
                    "already subscribed: change the plan of the subscription instead",
                    field="plan_id",
                )
            customer_id = await customer_for(caller.user_id, self._customers, self._stripe)
            await self._uow.commit()
        session = await self._stripe.checkout(
            CheckoutRequest(
                customer_id=customer_id,
                user_id=caller.user_id,
                plan_id=plan.id,
                mode="subscription" if plan.recurring else "payment",
                quantity=quantity,
                success_url=self._policy.success_url,
                cancel_url=self._policy.cancel_url,
                # Each request is a new checkout; the SDK's own retries reuse the key.
                idempotency_key=f"checkout-{self._ids.new_id()}",
            )
        )
        return CheckoutView(checkout_url=session.url, session_id=session.id)
