"""Events published by the Analytics & Recommendations context (topic
``analytics.recommendations``, keyed by the learner's id)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import msgspec

from cmh.contracts.events.base import IntegrationEvent

RECOMMENDATIONS_TOPIC = "analytics.recommendations"


class RecommendedItemV1(msgspec.Struct, frozen=True, kw_only=True):
    """A course (``lesson_id`` None) or a lesson of it; ``reasons`` say why, in words."""

    course_id: str
    lesson_id: str | None = None
    score: float
    reasons: list[str]


class RecommendationsUpdatedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "recommendations.updated"
    TOPIC: ClassVar[str] = RECOMMENDATIONS_TOPIC
    user_id: str
    items: list[RecommendedItemV1]
    updated_at: datetime


ANALYTICS_EVENTS: tuple[type[IntegrationEvent], ...] = (RecommendationsUpdatedV1,)
