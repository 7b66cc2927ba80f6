"""Upgrade or downgrade: Stripe moves the subscription to the new price now, prorated;
its ``customer.subscription.updated`` webhook brings the change here."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.payments.application.current_subscription import current_of
from cmh.payments.application.ports import StripeGateway, SubscriptionRepository
from cmh.payments.application.views import SubscriptionView, subscription_view
from cmh.payments.domain.errors import PlanNotPurchasable
from cmh.payments.domain.plans import PlanCatalog


class ChangeMyPlan:
    def __init__(
        self,
        catalog: PlanCatalog,
        subscriptions: SubscriptionRepository,
        stripe: StripeGateway,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._catalog = catalog
        self._subscriptions = subscriptions
        self._stripe = stripe
        self._clock = clock
        self._ids = ids

    async def execute(self, caller: Principal, plan_id: str, quantity: int) -> SubscriptionView:
        plan = self._catalog.purchasable(plan_id)
        if not plan.recurring:
            raise PlanNotPurchasable("a lab-hour pack is bought at checkout", field="plan_id")
        quantity = plan.checked_quantity(quantity)
        subscription = await current_of(caller.user_id, self._subscriptions)
        subscription.ensure_changeable()
        await self._stripe.change_plan(
            subscription.id, plan.id, quantity, idempotency_key=f"plan-{self._ids.new_id()}"
        )
        return subscription_view(subscription, self._clock.now())
