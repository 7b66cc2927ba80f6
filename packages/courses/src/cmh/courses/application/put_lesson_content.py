"""The owning instructor or an admin writes a lesson's content document."""

from __future__ import annotations

import msgspec

from cmh.courses.application.access import managed_course
from cmh.courses.application.ports import (
    Attachment,
    ContentBlock,
    CourseRepository,
    LessonContent,
    LessonContentStore,
)
from cmh.courses.domain.errors import InvalidCourseData
from cmh.courses.domain.values import LessonKind
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock


class ContentDraft(msgspec.Struct, frozen=True, kw_only=True):
    blocks: tuple[ContentBlock, ...]
    attachments: tuple[Attachment, ...] = ()
    lab_ref: str | None = None
    quiz_ref: str | None = None


class PutLessonContent:
    def __init__(
        self, courses: CourseRepository, contents: LessonContentStore, clock: Clock
    ) -> None:
        self._courses = courses
        self._contents = contents
        self._clock = clock

    async def execute(
        self, principal: Principal, course_id: str, lesson_id: str, draft: ContentDraft
    ) -> LessonContent:
        course = await managed_course(self._courses, course_id, principal)
        lesson = course.lesson(lesson_id)
        if draft.lab_ref is not None and lesson.kind is not LessonKind.LAB:
            raise InvalidCourseData("only a lab lesson refers to a lab", field="lab_ref")
        if draft.quiz_ref is not None and lesson.kind is not LessonKind.QUIZ:
            raise InvalidCourseData("only a quiz lesson refers to a quiz", field="quiz_ref")
        content = LessonContent(
            course_id=course.id,
            lesson_id=lesson.id,
            blocks=list(draft.blocks),
            attachments=list(draft.attachments),
            asset_id=lesson.asset_id,
            lab_ref=draft.lab_ref,
            quiz_ref=draft.quiz_ref,
            updated_at=self._clock.now(),
            updated_by=principal.user_id,
        )
        await self._contents.put(content)
        return content
