"""What the Payments context listens to: hand ``subscriptions()`` to the bus adapter."""

from __future__ import annotations

from cmh.contracts.events.labs import SESSION_TOPIC, LabSessionEndedV1
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1
from cmh.kernel.messaging.ports import Subscription
from cmh.payments.consumers.handlers import (
    LAB_SESSION_ENDED,
    USER_ERASURE,
    LabSessionEndedHandler,
    UserErasureHandler,
)


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="Delete an erased user's Stripe customer; keep their invoices, anonymised.",
        ),
        Subscription(
            topic=SESSION_TOPIC,
            consumer=LAB_SESSION_ENDED,
            handler=LabSessionEndedHandler,
            event_types=frozenset({LabSessionEndedV1.TYPE}),
            description="Start the refund saga of a lab session the platform failed.",
        ),
    ]


__all__ = ["LAB_SESSION_ENDED", "USER_ERASURE", "subscriptions"]
