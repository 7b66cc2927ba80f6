"""The owning instructor or an admin puts a course's modules in a new order."""

from __future__ import annotations

from collections.abc import Sequence

from cmh.courses.application.access import managed_course
from cmh.courses.application.course_changes import save_course_change
from cmh.courses.application.ports import CatalogCache, CourseRepository
from cmh.courses.application.views import CourseView, course_view
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class ReorderModules:
    def __init__(
        self, courses: CourseRepository, uow: UnitOfWork, clock: Clock, cache: CatalogCache
    ) -> None:
        self._courses = courses
        self._uow = uow
        self._clock = clock
        self._cache = cache

    async def execute(
        self, principal: Principal, course_id: str, module_ids: Sequence[str]
    ) -> CourseView:
        async with self._uow:
            course = await managed_course(self._courses, course_id, principal)
            course.reorder_modules(module_ids, now=self._clock.now())
            await save_course_change(course, self._courses, self._uow, self._cache)
        return course_view(course)
