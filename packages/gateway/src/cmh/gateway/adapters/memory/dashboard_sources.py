"""Dashboard reads from dictionaries, keyed by user id (tests, demos)."""

from __future__ import annotations

from cmh.gateway.application.ports import (
    Caller,
    EnrollmentProgress,
    LearningStats,
    Profile,
    RecommendedCourse,
)
from cmh.kernel.errors import NotFound


class MemoryDashboardSources:
    def __init__(self) -> None:
        self.profiles: dict[str, Profile] = {}
        self.enrollments_by_user: dict[str, list[EnrollmentProgress]] = {}
        self.stats_by_user: dict[str, LearningStats] = {}
        self.recommendations_by_user: dict[str, list[RecommendedCourse]] = {}

    async def profile(self, caller: Caller) -> Profile:
        try:
            return self.profiles[caller.principal.user_id]
        except KeyError:
            raise NotFound("no such user", code="user_not_found") from None

    async def enrollments(self, caller: Caller) -> list[EnrollmentProgress]:
        return list(self.enrollments_by_user.get(caller.principal.user_id, []))

    async def learning_stats(self, caller: Caller) -> LearningStats | None:
        return self.stats_by_user.get(caller.principal.user_id)

    async def recommendations(self, caller: Caller) -> list[RecommendedCourse]:
        return list(self.recommendations_by_user.get(caller.principal.user_id, []))
