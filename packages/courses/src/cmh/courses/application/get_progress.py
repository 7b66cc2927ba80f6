"""Progress in a course: one's own, or a learner's for the course's instructor or an admin."""

from __future__ import annotations

from cmh.courses.application.access import may_manage, visible_course
from cmh.courses.application.ports import CourseRepository, ProgressRepository
from cmh.courses.application.views import ProgressView, progress_view
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden, NotFound


class GetProgress:
    def __init__(self, courses: CourseRepository, progress: ProgressRepository) -> None:
        self._courses = courses
        self._progress = progress

    async def execute(
        self, principal: Principal, course_id: str, user_id: str | None = None
    ) -> ProgressView:
        course = await visible_course(self._courses, course_id, principal)
        learner = user_id or principal.user_id
        if learner != principal.user_id and not may_manage(principal, course):
            raise Forbidden(
                "only the course's instructor or an admin sees another learner's progress"
            )
        mine = await self._progress.get(learner, course_id)
        if mine is None:
            raise NotFound(
                f"no progress for this learner in course {course_id}", code="progress_not_found"
            )
        return progress_view(mine, course)
