"""``/api/v1/analytics``: the learner's dashboard, a course's report (JSON or CSV) and
charts for its instructor and admins, the admins' overview and revenue by plan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Literal

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from cmh.analytics.api.guards import ADMINS_ONLY, BEARER, INSTRUCTORS_ONLY
from cmh.analytics.application.admin_overview import AdminOverview
from cmh.analytics.application.course_chart import CourseChart
from cmh.analytics.application.course_report import CourseReport, CourseReportCsv
from cmh.analytics.application.learner_dashboard import LearnerDashboard
from cmh.analytics.application.live_counters import LiveCounters
from cmh.analytics.application.ports import LiveCounts, LiveFeed
from cmh.analytics.application.revenue_report import RevenueByPlan, RevenueByPlanCsv
from cmh.analytics.application.views import (
    CourseReportView,
    DashboardView,
    OverviewView,
    RevenueReportView,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses

# The route answers JSON or CSV, so its return type says nothing the OpenAPI document can
# use: the JSON is documented here (the CSV is described in words).
REPORT = ResponseSpec(
    CourseReportView,
    description="The report; with `format=csv`, the same figures as `text/csv`",
)


class AnalyticsController(Controller):
    path = "/api/v1/analytics"
    tags = ["analytics"]
    security = BEARER

    @get("/me/dashboard", operation_id="analytics_my_dashboard", summary="My learning dashboard")
    @inject
    async def dashboard(
        self, principal: FromDishka[Principal], dashboard: FromDishka[LearnerDashboard]
    ) -> DashboardView:
        return await dashboard.execute(principal)

    @get(
        "/courses/{course_id:str}/report",
        operation_id="analytics_course_report",
        guards=[INSTRUCTORS_ONLY],
        responses={**problem_responses(403, 404, 422, 503), 200: REPORT},
        summary="A course's report (its instructor, admins): `format=json` or `csv`",
        description="403 `not_course_instructor`; 404 `course_not_found`. The CSV is one "
        "table of `section,item,metric,value` rows.",
    )
    @inject
    async def report(
        self,
        course_id: FromPath[str],
        principal: FromDishka[Principal],
        report: FromDishka[CourseReport],
        report_csv: FromDishka[CourseReportCsv],
        format: Annotated[Literal["json", "csv"], QueryParameter()] = "json",
    ) -> Response[CourseReportView] | Response[str]:
        if format == "csv":
            document = await report_csv.execute(principal, course_id)
            return Response(
                document.content,
                media_type="text/csv",
                headers={"content-disposition": f'attachment; filename="{document.filename}"'},
            )
        return Response(await report.execute(principal, course_id))

    @get(
        "/courses/{course_id:str}/charts/{file_name:str}",
        operation_id="analytics_course_chart",
        guards=[INSTRUCTORS_ONLY],
        responses=problem_responses(403, 404, 422, 503),
        summary="A report section as a chart: `{name}.svg`, `{name}.png` or `{name}.vl.json` "
        "(a Vega-Lite spec); names: enrollments, funnel, quiz-difficulty, lab-cost",
        media_type="image/svg+xml",
    )
    @inject
    async def chart(
        self,
        course_id: FromPath[str],
        file_name: FromPath[str],
        principal: FromDishka[Principal],
        chart: FromDishka[CourseChart],
    ) -> Response[bytes]:
        drawn = await chart.execute(principal, course_id, file_name)
        return Response(drawn.content, media_type=drawn.media_type)

    @get(
        "/admin/overview",
        operation_id="analytics_admin_overview",
        guards=[ADMINS_ONLY],
        responses=problem_responses(403),
        summary="The platform at a glance (admins)",
    )
    @inject
    async def overview(
        self, principal: FromDishka[Principal], overview: FromDishka[AdminOverview]
    ) -> OverviewView:
        return await overview.execute(principal)

    @get(
        "/admin/revenue",
        operation_id="analytics_admin_revenue",
        guards=[ADMINS_ONLY],
        responses=problem_responses(403, 422),
        summary="Revenue by plan (admins): `format=json` or `csv`",
        description="Per plan, month (UTC) and currency: payments, refunds, gross, refunded "
        "and net as exact decimal strings; totals per plan and currency; active "
        "subscriptions and seats per plan. 403 `admin_only`; 422 names a bad `format`. The "
        "CSV is one table of `section,plan_id,month,currency,metric,value` rows.",
    )
    @inject
    async def revenue(
        self,
        principal: FromDishka[Principal],
        revenue: FromDishka[RevenueByPlan],
        revenue_csv: FromDishka[RevenueByPlanCsv],
        format: Annotated[Literal["json", "csv"], QueryParameter()] = "json",
    ) -> Response[RevenueReportView] | Response[str]:
        if format == "csv":
            document = await revenue_csv.execute(principal)
            return Response(
                document.content,
                media_type="text/csv",
                headers={"content-disposition": f'attachment; filename="{document.filename}"'},
            )
        return Response(await revenue.execute(principal))

    @get(
        "/admin/live",
        operation_id="analytics_admin_live",
        guards=[ADMINS_ONLY],
        responses=problem_responses(403),
        summary="Live counters (admins): a Server-Sent Events stream of `counts` events "
        "{active_learners, labs_running, at}, the current counts first",
        media_type="text/event-stream",
    )
    @inject
    async def live(
        self,
        principal: FromDishka[Principal],
        counters: FromDishka[LiveCounters],
        feed: FromDishka[LiveFeed],
    ) -> ServerSentEvent:
        first = await counters.execute(principal)
        return ServerSentEvent(_stream(first, feed))


async def _stream(first: LiveCounts, feed: LiveFeed) -> AsyncIterator[ServerSentEventMessage]:
    yield _message(first)
    async for counts in feed.updates():
        yield _message(counts)


def _message(counts: LiveCounts) -> ServerSentEventMessage:
    return ServerSentEventMessage(data=msgspec.json.encode(counts).decode(), event="counts")
