"""The caller's active enrollments, each with its progress."""

from __future__ import annotations

from cmh.courses.application.ports import CourseRepository, EnrollmentRepository, ProgressRepository
from cmh.courses.application.views import EnrollmentList, enrollment_view
from cmh.courses.domain.progress import CourseProgress
from cmh.kernel.auth.principal import Principal


class MyEnrollments:
    def __init__(
        self,
        courses: CourseRepository,
        enrollments: EnrollmentRepository,
        progress: ProgressRepository,
    ) -> None:
        self._courses = courses
        self._enrollments = enrollments
        self._progress = progress

    async def execute(self, principal: Principal) -> EnrollmentList:
        active = [e for e in await self._enrollments.list_for_user(principal.user_id) if e.active]
        courses = {c.id: c for c in await self._courses.get_many([e.course_id for e in active])}
        progress = {p.course_id: p for p in await self._progress.list_for_user(principal.user_id)}
        items = []
        for enrollment in sorted(active, key=lambda e: e.enrolled_at, reverse=True):
            course = courses.get(enrollment.course_id)
            if course is None:
                continue
            mine = progress.get(course.id) or CourseProgress.start(
                user_id=principal.user_id, course_id=course.id, now=enrollment.enrolled_at
            )
            items.append(enrollment_view(enrollment, course, mine))
        return EnrollmentList(items=items)
