from dataclasses import dataclass

import pytest

from cmh.gateway.adapters.memory.dashboard_sources import MemoryDashboardSources
from cmh.gateway.application.get_dashboard import GetDashboard
from cmh.gateway.application.ports import (
    EnrollmentProgress,
    LearningStats,
    Profile,
    RecommendedCourse,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound


@dataclass(frozen=True)
class _Caller:
    principal: Principal
    token: str = "token"


async def test_the_dashboard_joins_profile_and_enrollments() -> None:
    sources = MemoryDashboardSources()
    sources.profiles["u-1"] = Profile(
        id="u-1", email="a@b.c", display_name="A", roles=["learner"], tier="free"
    )
    sources.enrollments_by_user["u-1"] = [
        EnrollmentProgress(
            course_id="c-1", course_title="T", enrolled_at="2026", percentage=100, completed=True
        )
    ]
    dashboard = await GetDashboard(sources).execute(_Caller(Principal("u-1", frozenset())))
    assert dashboard.profile.email == "a@b.c"
    assert dashboard.courses_completed == 1


async def test_an_unknown_caller_is_not_found() -> None:
    with pytest.raises(NotFound):
        await GetDashboard(MemoryDashboardSources()).execute(_Caller(Principal("x", frozenset())))


async def test_the_dashboard_carries_the_learning_figures_and_recommendations() -> None:
    sources = MemoryDashboardSources()
    sources.profiles["u-1"] = Profile(
        id="u-1", email="a@b.c", display_name="A", roles=["learner"], tier="free"
    )
    sources.stats_by_user["u-1"] = LearningStats(
        time_spent_minutes=90, current_streak_days=3, lab_hours=1.5, quiz_average_percent=80.0
    )
    sources.recommendations_by_user["u-1"] = [
        RecommendedCourse(course_id="c-2", score=0.9, reasons=["because you finished AWS 101"])
    ]
    dashboard = await GetDashboard(sources).execute(_Caller(Principal("u-1", frozenset())))
    assert dashboard.stats is not None
    assert dashboard.stats.current_streak_days == 3
    assert [r.course_id for r in dashboard.recommendations] == ["c-2"]
