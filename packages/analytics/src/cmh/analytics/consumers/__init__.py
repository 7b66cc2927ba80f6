"""What the Analytics context listens to: hand ``subscriptions()`` to the bus adapter.
One fact subscription per topic, for every event type ``EXTRACTORS`` knows, and one per
topic forwarding to product analytics (the profile's adapter decides where: Mixpanel
when configured, nowhere otherwise)."""

from __future__ import annotations

from collections import defaultdict

from cmh.analytics.consumers.facts import EXTRACTORS
from cmh.analytics.consumers.handlers import (
    USER_ERASURE,
    FactBatchHandler,
    FactHandler,
    ForwardHandler,
    UserErasureHandler,
    facts_consumer,
    mixpanel_consumer,
)
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1
from cmh.kernel.messaging.ports import Subscription

# Records per Kafka batch: one transaction each (the inbox claims and the facts).
FACT_BATCH = 200


def _types_per_topic() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for event_type in EXTRACTORS:
        found[event_type.TOPIC].add(event_type.TYPE)
    return {topic: frozenset(types) for topic, types in sorted(found.items())}


def subscriptions() -> list[Subscription]:
    found = [
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="Pseudonymise an erased user's facts; drop their recommendations.",
        )
    ]
    for topic, types in _types_per_topic().items():
        found.append(
            Subscription(
                topic=topic,
                consumer=facts_consumer(topic),
                handler=FactHandler,
                batch_handler=FactBatchHandler,
                batch_size=FACT_BATCH,
                event_types=types,
                description=f"Keep {topic} events as facts (once each); refresh recommendations.",
            )
        )
        found.append(
            Subscription(
                topic=topic,
                consumer=mixpanel_consumer(topic),
                handler=ForwardHandler,
                event_types=types,
                description=f"Forward selected {topic} events to Mixpanel, pseudonymised.",
            )
        )
    return found


__all__ = ["FACT_BATCH", "subscriptions"]
