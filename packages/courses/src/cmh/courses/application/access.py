"""Who may do what with a course: decided once, here, for every use case."""

from __future__ import annotations

from cmh.courses.application.ports import CourseRepository
from cmh.courses.domain.course import Course
from cmh.courses.domain.errors import CourseNotFound
from cmh.courses.domain.values import CourseStatus
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.errors import Forbidden


def ensure_author(principal: Principal) -> None:
    if not (principal.is_admin or principal.has_role(Role.INSTRUCTOR)):
        raise Forbidden("only instructors and admins author courses", code="not_an_author")


def may_see(principal: Principal | None, course: Course) -> bool:
    if course.status is not CourseStatus.DRAFT:
        return True
    return principal is not None and (principal.is_admin or principal.user_id == course.owner_id)


def may_manage(principal: Principal, course: Course) -> bool:
    """The owning instructor or an admin."""
    return principal.is_admin or (
        principal.user_id == course.owner_id and principal.has_role(Role.INSTRUCTOR)
    )


async def visible_course(
    courses: CourseRepository, course_id: str, principal: Principal | None
) -> Course:
    """The course, or ``CourseNotFound`` when it does not exist or is a draft the caller
    may not see (a draft's existence is not disclosed)."""
    course = await courses.get(course_id)
    if course is None or not may_see(principal, course):
        raise CourseNotFound(f"course {course_id} not found")
    return course


async def managed_course(courses: CourseRepository, course_id: str, principal: Principal) -> Course:
    ensure_author(principal)
    course = await visible_course(courses, course_id, principal)
    if not may_manage(principal, course):
        raise Forbidden(
            "only the course's instructor or an admin may change it", code="not_course_owner"
        )
    return course
