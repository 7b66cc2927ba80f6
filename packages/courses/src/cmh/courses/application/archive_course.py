"""Archiving takes a course out of the catalog; enrolled learners keep their progress."""

from __future__ import annotations

from cmh.courses.application.access import managed_course
from cmh.courses.application.ports import CatalogCache, CourseRepository
from cmh.courses.application.views import CourseView, course_view
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class ArchiveCourse:
    def __init__(
        self, courses: CourseRepository, uow: UnitOfWork, clock: Clock, cache: CatalogCache
    ) -> None:
        self._courses = courses
        self._uow = uow
        self._clock = clock
        self._cache = cache

    async def execute(self, principal: Principal, course_id: str) -> CourseView:
        now = self._clock.now()
        async with self._uow:
            course = await managed_course(self._courses, course_id, principal)
            course.archive(now=now)
            await self._courses.save(course)
            await self._uow.commit()
        await self._cache.invalidate(course.id)
        return course_view(course)
