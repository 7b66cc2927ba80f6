"""``/api/v1/recommendations``: the caller's next best courses and lessons."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import QueryParameter

from cmh.analytics.api.guards import BEARER
from cmh.analytics.application.my_recommendations import MyRecommendations
from cmh.analytics.application.views import RecommendationView
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses


class RecommendationsController(Controller):
    path = "/api/v1/recommendations"
    tags = ["recommendations"]
    security = BEARER

    @get(
        "/me",
        operation_id="recommendations_mine",
        responses=problem_responses(422),
        summary="My next best courses and lessons, each with its reasons",
    )
    @inject
    async def mine(
        self,
        principal: FromDishka[Principal],
        recommendations: FromDishka[MyRecommendations],
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 10,
    ) -> list[RecommendationView]:
        return await recommendations.execute(principal, limit)
