"""Thin event handlers: the kernel's consumer runner hands each its event (inside the
unit of work that claims it in the inbox); they call one use case."""

from __future__ import annotations

from collections.abc import Sequence

from cmh.analytics.application.forward_event import ForwardEvent
from cmh.analytics.application.handle_user_erasure import HandleUserErasure
from cmh.analytics.application.record_fact import RecordFact, RecordFacts
from cmh.analytics.consumers.facts import EXTRACTORS
from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.kernel.clock import Clock

USER_ERASURE = "analytics.user-erasure"


def facts_consumer(topic: str) -> str:
    return f"analytics.facts.{topic}"


def mixpanel_consumer(topic: str) -> str:
    return f"analytics.mixpanel.{topic}"


class FactHandler:
    def __init__(self, record: RecordFact, clock: Clock) -> None:
        self._record = record
        self._clock = clock

    async def __call__(self, event: IntegrationEvent) -> None:
        await self._record.execute(EXTRACTORS[type(event)](event, self._clock.now()))


class FactBatchHandler:
    """The Kafka consumer's batches (``Subscription.batch_handler``): one transaction."""

    def __init__(self, record: RecordFacts, clock: Clock) -> None:
        self._record = record
        self._clock = clock

    async def __call__(self, events: Sequence[IntegrationEvent]) -> None:
        now = self._clock.now()
        await self._record.execute([EXTRACTORS[type(e)](e, now) for e in events])


class ForwardHandler:
    def __init__(self, forward: ForwardEvent, clock: Clock) -> None:
        self._forward = forward
        self._clock = clock

    async def __call__(self, event: IntegrationEvent) -> None:
        await self._forward.execute(EXTRACTORS[type(event)](event, self._clock.now()))


class UserErasureHandler:
    def __init__(self, erase: HandleUserErasure) -> None:
        self._erase = erase

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._erase.execute(event.user_id)
