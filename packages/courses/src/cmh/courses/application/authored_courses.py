"""The courses an instructor authors, drafts included, for their own authoring pages (the
catalog lists published courses only)."""

from __future__ import annotations

from cmh.courses.application.access import ensure_author
from cmh.courses.application.ports import CourseRepository
from cmh.courses.application.views import CourseView, course_view
from cmh.kernel.auth.principal import Principal


class AuthoredCourses:
    def __init__(self, courses: CourseRepository) -> None:
        self._courses = courses

    async def execute(self, principal: Principal) -> list[CourseView]:
        ensure_author(principal)
        return [course_view(c) for c in await self._courses.list_owned_by(principal.user_id)]
