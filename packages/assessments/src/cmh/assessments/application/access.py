"""Who may do what with questions, quizzes, attempts and certificates: decided once,
here, for every use case. Course ownership and enrollment are asked of courses."""

from __future__ import annotations

from cmh.assessments.application.ports import CourseCatalog, CourseMembership
from cmh.assessments.domain.attempt import Attempt
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.errors import Forbidden, NotFound


class CourseNotFound(NotFound):
    code = "course_not_found"


def ensure_author(principal: Principal) -> None:
    if not (principal.is_admin or principal.has_role(Role.INSTRUCTOR)):
        raise Forbidden("only instructors and admins author assessments", code="not_an_author")


def ensure_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("only admins may do this", code="admin_only")


def teaches(principal: Principal, course: CourseMembership) -> bool:
    return principal.is_admin or principal.user_id == course.owner_id


async def managed_course(
    catalog: CourseCatalog, course_id: str, principal: Principal
) -> CourseMembership:
    """The course when ``principal`` is its instructor or an admin."""
    ensure_author(principal)
    course = await catalog.membership(course_id, principal.user_id)
    if course is None:
        raise CourseNotFound(f"course {course_id} not found")
    if not teaches(principal, course):
        raise Forbidden(
            "only the course's instructor or an admin may author its assessments",
            code="not_course_owner",
        )
    return course


async def may_see_attempt(catalog: CourseCatalog, principal: Principal, attempt: Attempt) -> bool:
    """The learner who took it, the course's instructors and admins."""
    if principal.user_id == attempt.user_id or principal.is_admin:
        return True
    course = await catalog.membership(attempt.course_id, principal.user_id)
    return course is not None and teaches(principal, course)
