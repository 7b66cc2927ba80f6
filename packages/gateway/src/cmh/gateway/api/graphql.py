"""``/graphql``: composite reads for the caller, resolved through the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from dishka import AsyncContainer
from litestar.connection import ASGIConnection
from strawberry.litestar import make_graphql_controller
from strawberry.types import Info

from cmh.gateway.api.policies_middleware import admission_of
from cmh.gateway.application.get_dashboard import GetDashboard
from cmh.gateway.application.views import Dashboard
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Unauthenticated
from cmh.kernel.web.bounded_json import ensure_shallow_json


@dataclass(frozen=True, slots=True)
class GraphqlCaller:
    principal: Principal
    token: str


@strawberry.type
class ProfileType:
    id: str
    email: str
    display_name: str
    roles: list[str]
    tier: str


@strawberry.type
class EnrollmentType:
    course_id: str
    course_title: str
    enrolled_at: str
    percentage: int
    completed: bool


@strawberry.type
class LearningStatsType:
    time_spent_minutes: int
    current_streak_days: int
    lab_hours: float
    quiz_average_percent: float | None


@strawberry.type
class RecommendationType:
    course_id: str
    lesson_id: str | None
    score: float
    reasons: list[str]


@strawberry.type
class DashboardType:
    profile: ProfileType
    enrollments: list[EnrollmentType]
    courses_completed: int
    stats: LearningStatsType | None = strawberry.field(
        description="From analytics; null when it cannot answer."
    )
    recommendations: list[RecommendationType] = strawberry.field(
        description="The next best courses and lessons, each with its reasons (analytics)."
    )

    @classmethod
    def of(cls, dashboard: Dashboard) -> DashboardType:
        p = dashboard.profile
        return cls(
            profile=ProfileType(
                id=p.id, email=p.email, display_name=p.display_name, roles=p.roles, tier=p.tier
            ),
            enrollments=[
                EnrollmentType(
                    course_id=e.course_id,
                    course_title=e.course_title,
                    enrolled_at=e.enrolled_at,
                    percentage=e.percentage,
                    completed=e.completed,
                )
                for e in dashboard.enrollments
            ],
            courses_completed=dashboard.courses_completed,
            stats=(
                LearningStatsType(
                    time_spent_minutes=s.time_spent_minutes,
                    current_streak_days=s.current_streak_days,
                    lab_hours=s.lab_hours,
                    quiz_average_percent=s.quiz_average_percent,
                )
                if (s := dashboard.stats) is not None
                else None
            ),
            recommendations=[
                RecommendationType(
                    course_id=r.course_id, lesson_id=r.lesson_id, score=r.score, reasons=r.reasons
                )
                for r in dashboard.recommendations
            ],
        )


@strawberry.type
class Query:
    @strawberry.field(
        description="The caller's profile, their courses with progress, their learning "
        "figures and recommendations."
    )  # type: ignore[untyped-decorator]
    async def dashboard(self, info: Info) -> DashboardType:
        caller: GraphqlCaller | None = info.context["caller"]
        if caller is None:
            raise Unauthenticated("send an access token", code="token_missing")
        container: AsyncContainer = info.context["container"]
        use_case = await container.get(GetDashboard)
        return DashboardType.of(await use_case.execute(caller))


async def _context(request: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    # One getter for HTTP and WebSocket: typed as both's base, as Litestar 3 requires.
    admission = admission_of(request)
    caller = None
    if admission.principal is not None and admission.token is not None:
        caller = GraphqlCaller(admission.principal, admission.token)
    return {"caller": caller, "container": request.state.dishka_container}


def graphql_controller() -> type:
    schema = strawberry.Schema(query=Query)
    base: Any = make_graphql_controller(schema, path="/graphql", context_getter=_context)

    class GraphQLController(base):  # type: ignore[misc]
        def decode_json(self, data: str | bytes) -> object:
            # strawberry parses with `json` itself: the kernel's nesting limit applies too.
            ensure_shallow_json(data.encode() if isinstance(data, str) else data)
            return super().decode_json(data)

    return GraphQLController
