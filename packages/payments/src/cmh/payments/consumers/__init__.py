"""What the Payments context listens to: hand ``subscriptions()`` to the bus adapter."""

from __future__ import annotations

from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1
from cmh.kernel.messaging.ports import Subscription
from cmh.payments.consumers.handlers import USER_ERASURE, UserErasureHandler


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="Delete an erased user's Stripe customer; keep their invoices, anonymised.",
        ),
    ]


__all__ = ["USER_ERASURE", "subscriptions"]
