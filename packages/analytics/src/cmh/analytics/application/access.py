"""Who may read a course's report: its instructor (the owner courses names) or an admin."""

from __future__ import annotations

from cmh.analytics.application.ports import CourseDirectory, CourseOwnership
from cmh.analytics.domain.errors import CourseNotFound, NotCourseInstructor
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.errors import Forbidden


async def reported_course(
    directory: CourseDirectory, course_id: str, principal: Principal
) -> CourseOwnership:
    if not (principal.is_admin or principal.has_role(Role.INSTRUCTOR)):
        raise Forbidden("only instructors and admins read course reports", code="not_an_instructor")
    course = await directory.ownership(course_id, principal.user_id)
    if course is None:
        raise CourseNotFound(f"course {course_id} not found", field="course_id")
    if not (principal.is_admin or principal.user_id == course.owner_id):
        raise NotCourseInstructor("only the course's instructor or an admin reads its report")
    return course


def ensure_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("only admins may read the overview", code="admin_only")
