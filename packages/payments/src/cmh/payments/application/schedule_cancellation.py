"""Cancel at the period's end, or resume (undo that), through Stripe; the subscription
says so at once and Stripe's webhook confirms it."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.current_subscription import current_of
from cmh.payments.application.ports import StripeGateway, SubscriptionRepository
from cmh.payments.application.views import SubscriptionView, subscription_view


class ScheduleCancellation:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        stripe: StripeGateway,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._subscriptions = subscriptions
        self._stripe = stripe
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, caller: Principal, cancel: bool) -> SubscriptionView:
        async with self._uow:
            subscription = await current_of(caller.user_id, self._subscriptions)
            subscription.ensure_changeable()
            await self._stripe.cancel_at_period_end(
                subscription.id, cancel, idempotency_key=f"cancel-{self._ids.new_id()}"
            )
            if subscription.schedule_cancel(cancel, self._clock.now()):
                await self._subscriptions.save(subscription)
                await self._uow.commit()
            return subscription_view(subscription, self._clock.now())
