"""What the Labs context listens to: hand ``subscriptions()`` to the bus adapter.

``user.tier_changed`` is not among them: Labs asks users for the allowance at every
launch and keeps none, so a tier change needs nothing stored here."""

from __future__ import annotations

from cmh.contracts.events.payments import PAYMENT_TOPIC, PaymentSucceededV1, RefundIssuedV1
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1
from cmh.kernel.messaging.ports import Subscription
from cmh.labs.consumers.handlers import (
    LAB_HOUR_PACKS,
    USER_ERASURE,
    LabHourPackHandler,
    UserErasureHandler,
)


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="Stop an erased user's lab sessions and drop their credentials.",
        ),
        Subscription(
            topic=PAYMENT_TOPIC,
            consumer=LAB_HOUR_PACKS,
            handler=LabHourPackHandler,
            event_types=frozenset({PaymentSucceededV1.TYPE, RefundIssuedV1.TYPE}),
            description="Credit a paid lab-hour pack's hours; take back a refunded pack's "
            "unspent hours.",
        ),
    ]


__all__ = ["LAB_HOUR_PACKS", "USER_ERASURE", "subscriptions"]
