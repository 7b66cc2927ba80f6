"""The caller's next best courses and lessons, each with its reasons."""

from __future__ import annotations

from cmh.analytics.application.recommender import RecommendationEngine
from cmh.analytics.application.views import RecommendationView
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import InvalidInput

MAX_LIMIT = 50


class MyRecommendations:
    def __init__(self, engine: RecommendationEngine) -> None:
        self._engine = engine

    async def execute(self, principal: Principal, limit: int) -> list[RecommendationView]:
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit is between 1 and {MAX_LIMIT}", field="limit")
        items = await self._engine.for_learner(principal.user_id, limit)
        return [
            RecommendationView(
                course_id=i.course_id, lesson_id=i.lesson_id, score=i.score, reasons=list(i.reasons)
            )
            for i in items
        ]
