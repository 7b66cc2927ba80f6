"""The owning instructor or an admin revises a course's catalog data."""

from __future__ import annotations

import msgspec

from cmh.courses.application.access import managed_course
from cmh.courses.application.course_changes import save_course_change
from cmh.courses.application.ports import CatalogCache, CourseRepository
from cmh.courses.application.views import CourseView, course_view
from cmh.courses.domain.values import CloudProvider, Level
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork


class CourseRevision(msgspec.Struct, frozen=True, kw_only=True):
    title: str | None = None
    summary: str | None = None
    provider: CloudProvider | None = None
    level: Level | None = None
    tags: tuple[str, ...] | None = None
    prerequisites: tuple[str, ...] | None = None


class UpdateCourse:
    def __init__(
        self, courses: CourseRepository, uow: UnitOfWork, clock: Clock, cache: CatalogCache
    ) -> None:
        self._courses = courses
        self._uow = uow
        self._clock = clock
        self._cache = cache

    async def execute(
        self, principal: Principal, course_id: str, revision: CourseRevision
    ) -> CourseView:
        async with self._uow:
            course = await managed_course(self._courses, course_id, principal)
            course.revise(
                now=self._clock.now(),
                title=revision.title,
                summary=revision.summary,
                provider=revision.provider,
                level=revision.level,
                tags=revision.tags,
                prerequisites=revision.prerequisites,
            )
            await save_course_change(course, self._courses, self._uow, self._cache)
        return course_view(course)
