"""A team owner gives a seat of their subscription to a member's account, or takes it
back; the member's tier follows (team while seated, else what their own plans give)."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.current_subscription import current_of
from cmh.payments.application.ports import SubscriptionRepository
from cmh.payments.application.stripe_event_effects import StripeEventEffects
from cmh.payments.application.views import SubscriptionView, subscription_view


class ManageSeats:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        effects: StripeEventEffects,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._subscriptions = subscriptions
        self._effects = effects
        self._uow = uow
        self._clock = clock

    async def execute(self, caller: Principal, member_id: str, assign: bool) -> SubscriptionView:
        now = self._clock.now()
        async with self._uow:
            subscription = await current_of(caller.user_id, self._subscriptions)
            before = set(subscription.tiers(now))
            if assign:
                subscription.assign_seat(member_id, now)
            else:
                subscription.release_seat(member_id, now)
            await self._subscriptions.save(subscription)
            await self._effects.retier(subscription, "team seat changed")
            if not assign and member_id in before:
                await self._effects.retier_user(member_id, "team seat released")
            await self._uow.commit()
            return subscription_view(subscription, now)
