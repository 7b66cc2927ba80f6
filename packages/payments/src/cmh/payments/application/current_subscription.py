"""The subscription a learner's account page shows: the newest they pay for."""

from __future__ import annotations

from cmh.payments.application.ports import SubscriptionRepository
from cmh.payments.domain.errors import SubscriptionNotFound
from cmh.payments.domain.subscription import Subscription


async def current_of(user_id: str, subscriptions: SubscriptionRepository) -> Subscription:
    found = await subscriptions.of_user(user_id)
    if not found:
        raise SubscriptionNotFound("no subscription yet", code="subscription_not_found")
    return found[0]
