"""A learner enrolls in a published course their subscription allows.

Free tier: beginner courses only; pro and team: every level. The users context decides
which levels a user may take; this use case only enforces its answer. Enrolling again
while enrolled changes nothing; enrolling after unenrolling reactivates the enrollment.
"""

from __future__ import annotations

from cmh.courses.application.access import visible_course
from cmh.courses.application.ports import (
    CourseRepository,
    EnrollmentRepository,
    Entitlements,
    ProgressRepository,
)
from cmh.courses.application.views import EnrollmentView, enrollment_view
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.errors import CourseNotOpen, NotEntitled
from cmh.courses.domain.progress import CourseProgress
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import Forbidden
from cmh.kernel.uow import UnitOfWork


class EnrollLearner:
    def __init__(
        self,
        courses: CourseRepository,
        enrollments: EnrollmentRepository,
        progress: ProgressRepository,
        entitlements: Entitlements,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._courses = courses
        self._enrollments = enrollments
        self._progress = progress
        self._entitlements = entitlements
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, course_id: str) -> EnrollmentView:
        # Asked before the transaction opens: no database transaction waits on another service.
        rights = await self._entitlements.of(principal.user_id)
        now = self._clock.now()
        async with self._uow:
            course = await visible_course(self._courses, course_id, principal)
            if not course.is_published:
                raise CourseNotOpen(f"course {course_id} is not open for enrollment")
            if not rights.active:
                raise Forbidden("this account is not active", code="account_inactive")
            if course.level.value not in rights.course_levels:
                raise NotEntitled(
                    f"the {rights.tier} plan does not include {course.level.value} courses"
                )
            enrollment = await self._enrollments.get(principal.user_id, course_id)
            changed = True
            if enrollment is None:
                enrollment = Enrollment.start(
                    self._ids.new_id(), user_id=principal.user_id, course_id=course_id, now=now
                )
                await self._enrollments.add(enrollment)
            elif enrollment.reactivate(now=now):
                await self._enrollments.save(enrollment)
            else:
                changed = False
            progress = await self._progress.get(principal.user_id, course_id)
            if progress is None:
                progress = CourseProgress.start(
                    user_id=principal.user_id, course_id=course_id, now=now
                )
                await self._progress.add(progress)
            if changed:
                await self._uow.commit()
        return enrollment_view(enrollment, course, progress)
