"""Past-due subscriptions whose grace period is over lose their access (unpaid)."""

from __future__ import annotations

from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.ports import SubscriptionRepository
from cmh.payments.application.stripe_event_effects import StripeEventEffects
from cmh.payments.domain.subscription import SubscriptionStatus

BATCH = 200


class SettleGracePeriods:
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

    async def execute(self) -> None:
        async with self._uow:
            now = self._clock.now()
            for subscription in await self._subscriptions.with_status(
                SubscriptionStatus.PAST_DUE, BATCH
            ):
                if subscription.settle(now):
                    await self._subscriptions.save(subscription)
                    await self._effects.retier(subscription, "grace period over")
            await self._uow.commit()
