"""The one place domain events of Analytics become contracts events: ``ANALYTICS_EVENTS``."""

from __future__ import annotations

from cmh.analytics.domain.events import RecommendationsUpdated
from cmh.contracts.events.analytics import RecommendationsUpdatedV1, RecommendedItemV1
from cmh.kernel.event_mapping import EventMap, Outgoing


def _updated(event: RecommendationsUpdated) -> Outgoing:
    return Outgoing(
        RecommendationsUpdatedV1(
            user_id=event.user_id,
            items=[
                RecommendedItemV1(
                    course_id=i.course_id,
                    lesson_id=i.lesson_id,
                    score=i.score,
                    reasons=list(i.reasons),
                )
                for i in event.items
            ],
            updated_at=event.at,
        ),
        event.user_id,
    )


ANALYTICS_EVENTS = EventMap({RecommendationsUpdated: _updated})
