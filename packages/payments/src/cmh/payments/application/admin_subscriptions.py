"""Subscriptions for admins, optionally of one status."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import Forbidden
from cmh.payments.application.ports import SubscriptionRepository
from cmh.payments.application.views import SubscriptionView, subscription_view
from cmh.payments.domain.subscription import SubscriptionStatus

LIMIT = 500


class AdminSubscriptions:
    def __init__(self, subscriptions: SubscriptionRepository, clock: Clock) -> None:
        self._subscriptions = subscriptions
        self._clock = clock

    async def execute(
        self, caller: Principal, status: SubscriptionStatus | None
    ) -> list[SubscriptionView]:
        if not caller.is_admin:
            raise Forbidden("admins only", code="admin_only")
        now = self._clock.now()
        found = await self._subscriptions.with_status(status, LIMIT)
        return [subscription_view(s, now) for s in found]
