"""Selected learning events forwarded to product analytics (Mixpanel), with the learner's
id only (the adapter replaces it by a keyed hash) and no personal data: the properties
are course, lesson and measure, nothing a person typed or is called."""

from __future__ import annotations

from cmh.analytics.application.ports import ProductAnalytics, TrackedEvent
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact

FORWARDED = frozenset(
    {
        k.ENROLLED,
        k.LESSON_COMPLETED,
        k.COURSE_COMPLETED,
        k.ATTEMPT_GRADED,
        k.LAB_ENDED,
        k.CERTIFICATE_ISSUED,
    }
)


class ForwardEvent:
    def __init__(self, analytics: ProductAnalytics) -> None:
        self._analytics = analytics

    async def execute(self, fact: Fact) -> None:
        if fact.kind not in FORWARDED or not fact.user_id:
            return
        await self._analytics.forward(
            TrackedEvent(
                insert_id=fact.event_id,
                distinct_id=fact.user_id,
                name=fact.kind,
                time=fact.occurred_at.timestamp(),
                properties={
                    "course_id": fact.course_id,
                    "lesson_id": fact.lesson_id,
                    "value": fact.value,
                },
            )
        )
