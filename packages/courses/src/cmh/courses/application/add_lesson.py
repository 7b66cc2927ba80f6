"""The owning instructor or an admin appends a lesson to one of a course's modules."""

from __future__ import annotations

from dataclasses import dataclass

from cmh.courses.application.access import managed_course
from cmh.courses.application.course_changes import save_course_change
from cmh.courses.application.ports import CatalogCache, CourseRepository
from cmh.courses.application.views import LessonView, lesson_view
from cmh.courses.domain.course import Lesson
from cmh.courses.domain.values import LessonKind
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class NewLesson:
    title: str
    kind: LessonKind
    required: bool = True
    duration_minutes: int = 0
    asset_id: str | None = None


class AddLesson:
    def __init__(
        self,
        courses: CourseRepository,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
        cache: CatalogCache,
    ) -> None:
        self._courses = courses
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._cache = cache

    async def execute(
        self, principal: Principal, course_id: str, module_id: str, command: NewLesson
    ) -> LessonView:
        async with self._uow:
            course = await managed_course(self._courses, course_id, principal)
            lesson = Lesson.create(
                self._ids.new_id(),
                title=command.title,
                kind=command.kind,
                required=command.required,
                duration_minutes=command.duration_minutes,
                asset_id=command.asset_id,
            )
            course.add_lesson(module_id, lesson, now=self._clock.now())
            await save_course_change(course, self._courses, self._uow, self._cache)
        return lesson_view(lesson)
