"""The learner's lab hours: the month's allowance, what is left of it and of their lab-hour
packs (what a launch may still use)."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get

from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.labs.application.my_lab_hours import MyLabHours
from cmh.labs.application.views import LabHoursView

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class LabHoursController(Controller):
    path = "/api/v1/labs/hours"
    tags = ["labs"]

    @get(
        "/me",
        operation_id="labs_hours_mine",
        responses=problem_responses(503),
        summary="My lab hours this month: allowance, consumed, packs left, remaining",
        description="`remaining_hours` is the month's allowance left plus the lab-hour "
        "packs left; packs are spent once the allowance runs out and do not expire.",
        security=BEARER,
    )
    @inject
    async def mine(
        self, principal: FromDishka[Principal], hours: FromDishka[MyLabHours]
    ) -> LabHoursView:
        return await hours.execute(principal)
