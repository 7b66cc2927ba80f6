"""For another context (assessments): a course's owner, title and status, and whether a
user holds an active enrollment in it. Asked by a platform service, or with the user's
own token relayed (the user about themself, or an admin)."""

from __future__ import annotations

from cmh.contracts.http.courses import CourseMembershipResponse
from cmh.courses.application.ports import CourseRepository, EnrollmentRepository
from cmh.courses.domain.errors import CourseNotFound
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden

SERVICE_ROLE = "service"


class CourseMembership:
    def __init__(self, courses: CourseRepository, enrollments: EnrollmentRepository) -> None:
        self._courses = courses
        self._enrollments = enrollments

    async def execute(
        self, caller: Principal, course_id: str, user_id: str
    ) -> CourseMembershipResponse:
        if not (SERVICE_ROLE in caller.roles or caller.may_act_for(user_id)):
            raise Forbidden("only a platform service or the user may ask", code="service_only")
        course = await self._courses.get(course_id)
        if course is None:
            raise CourseNotFound(f"course {course_id} not found")
        enrollment = await self._enrollments.get(user_id, course_id)
        return CourseMembershipResponse(
            course_id=course.id,
            title=course.title,
            status=str(course.status),
            owner_id=course.owner_id,
            user_id=user_id,
            enrolled=enrollment is not None and enrollment.active,
        )
