"""Admin views of the labs: sessions by status, what they cost, the warm pools."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import FromQuery

from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.labs.api.guards import ADMINS_ONLY
from cmh.labs.application.admin_costs import AdminCosts, CostGrouping
from cmh.labs.application.admin_list_sessions import AdminListSessions
from cmh.labs.application.admin_warm_pools import AdminWarmPools
from cmh.labs.application.views import CostReport, SessionSummary, WarmPoolView
from cmh.labs.domain.session import SessionStatus

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class AdminLabsController(Controller):
    path = "/api/v1/admin/labs"
    tags = ["labs", "admin"]
    guards = [ADMINS_ONLY]

    @get(
        "/sessions",
        operation_id="labs_admin_sessions",
        responses=problem_responses(403),
        summary="Every lab session, or those in one status, newest first",
        security=BEARER,
    )
    @inject
    async def sessions(
        self,
        principal: FromDishka[Principal],
        sessions: FromDishka[AdminListSessions],
        status: FromQuery[SessionStatus | None] = None,
    ) -> list[SessionSummary]:
        return await sessions.execute(principal, status)

    @get(
        "/costs",
        operation_id="labs_admin_costs",
        responses=problem_responses(403),
        summary="Cost of the lab sessions per course or per template",
        security=BEARER,
    )
    @inject
    async def costs(
        self,
        principal: FromDishka[Principal],
        costs: FromDishka[AdminCosts],
        group_by: FromQuery[CostGrouping] = CostGrouping.TEMPLATE,
    ) -> CostReport:
        return await costs.execute(principal, group_by)

    @get(
        "/pools",
        operation_id="labs_admin_warm_pools",
        responses=problem_responses(403),
        summary="Each template's warm pool: its size, environments ready and provisioning",
        security=BEARER,
    )
    @inject
    async def pools(
        self, principal: FromDishka[Principal], pools: FromDishka[AdminWarmPools]
    ) -> list[WarmPoolView]:
        return await pools.execute(principal)
