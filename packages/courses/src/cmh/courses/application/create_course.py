"""An instructor (or admin) starts a new course as a draft they own."""

from __future__ import annotations

import msgspec

from cmh.courses.application.access import ensure_author
from cmh.courses.application.ports import CourseRepository
from cmh.courses.application.views import CourseView, course_view
from cmh.courses.domain.course import Course
from cmh.courses.domain.values import CloudProvider, Level
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork


class NewCourse(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    summary: str
    provider: CloudProvider
    level: Level
    tags: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()


class CreateCourse:
    def __init__(
        self, courses: CourseRepository, uow: UnitOfWork, clock: Clock, ids: IdGenerator
    ) -> None:
        self._courses = courses
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, command: NewCourse) -> CourseView:
        ensure_author(principal)
        course = Course.draft(
            self._ids.new_id(),
            owner_id=principal.user_id,
            title=command.title,
            summary=command.summary,
            provider=command.provider,
            level=command.level,
            tags=command.tags,
            prerequisites=command.prerequisites,
            now=self._clock.now(),
        )
        async with self._uow:
            await self._courses.add(course)
            await self._uow.commit()
        return course_view(course)
