"""The owning instructor or an admin appends a lesson to one of a course's modules.

A video lesson's asset must be one the caller may use: content checks that they own it
(or are an admin) and records the course as one that may play it. Anyone else's asset
answers exactly like a missing one, 422 naming ``asset_id``: the path's course and module
exist, the body names something the caller cannot use."""

from __future__ import annotations

import msgspec

from cmh.courses.application.access import managed_course
from cmh.courses.application.course_changes import save_course_change
from cmh.courses.application.ports import CatalogCache, CourseRepository, MediaLibrary
from cmh.courses.application.views import LessonView, lesson_view
from cmh.courses.domain.course import Lesson
from cmh.courses.domain.errors import InvalidCourseData
from cmh.courses.domain.values import LessonKind
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import NotFound
from cmh.kernel.uow import UnitOfWork

VIDEO_ASSET = "video"  # content's asset kind a video lesson plays


class NewLesson(msgspec.Struct, frozen=True, kw_only=True):
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
        media: MediaLibrary,
    ) -> None:
        self._courses = courses
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._cache = cache
        self._media = media

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
            if lesson.asset_id is not None:
                await self._attach(principal, lesson.asset_id, course.id)
            await save_course_change(course, self._courses, self._uow, self._cache)
        return lesson_view(lesson)

    async def _attach(self, principal: Principal, asset_id: str, course_id: str) -> None:
        try:
            asset = await self._media.attach(principal, asset_id, course_id)
        except NotFound as exc:
            raise InvalidCourseData(
                f"no asset {asset_id!r} that you may use", code="asset_not_found", field="asset_id"
            ) from exc
        if asset.kind != VIDEO_ASSET:
            raise InvalidCourseData(
                f"asset {asset_id!r} is a {asset.kind}, not a video",
                code="asset_not_a_video",
                field="asset_id",
            )
