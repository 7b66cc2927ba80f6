"""The caller's subscription (404 ``subscription_not_found`` before the first)."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.payments.application.current_subscription import current_of
from cmh.payments.application.ports import SubscriptionRepository
from cmh.payments.application.views import SubscriptionView, subscription_view


class MySubscription:
    def __init__(self, subscriptions: SubscriptionRepository, clock: Clock) -> None:
        self._subscriptions = subscriptions
        self._clock = clock

    async def execute(self, caller: Principal) -> SubscriptionView:
        found = await current_of(caller.user_id, self._subscriptions)
        return subscription_view(found, self._clock.now())
