"""One course with its outline. Drafts exist only for their owner and admins; the public
answer for a published or archived course is cached."""

from __future__ import annotations

from cmh.courses.application.access import visible_course
from cmh.courses.application.ports import CatalogCache, CourseRepository
from cmh.courses.application.views import CourseView, course_view
from cmh.courses.domain.values import CourseStatus
from cmh.kernel.auth.principal import Principal


class GetCourse:
    def __init__(self, courses: CourseRepository, cache: CatalogCache) -> None:
        self._courses = courses
        self._cache = cache

    async def execute(self, principal: Principal | None, course_id: str) -> CourseView:
        if (cached := await self._cache.get_course(course_id)) is not None:
            return cached
        course = await visible_course(self._courses, course_id, principal)
        view = course_view(course)
        if course.status is not CourseStatus.DRAFT:
            await self._cache.put_course(course_id, view)
        return view
