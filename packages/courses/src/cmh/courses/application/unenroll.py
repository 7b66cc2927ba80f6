"""A learner leaves a course. Their progress is kept for when they come back."""

from __future__ import annotations

from cmh.courses.application.ports import EnrollmentRepository
from cmh.courses.domain.errors import NotEnrolled
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class Unenroll:
    def __init__(self, enrollments: EnrollmentRepository, uow: UnitOfWork, clock: Clock) -> None:
        self._enrollments = enrollments
        self._uow = uow
        self._clock = clock

    async def execute(self, principal: Principal, course_id: str) -> None:
        async with self._uow:
            enrollment = await self._enrollments.get(principal.user_id, course_id)
            if enrollment is None:
                raise NotEnrolled(f"you are not enrolled in course {course_id}")
            if enrollment.active:
                enrollment.cancel(now=self._clock.now())
                await self._enrollments.save(enrollment)
                await self._uow.commit()
