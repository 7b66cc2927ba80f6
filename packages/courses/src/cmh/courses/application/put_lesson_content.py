"""The owning instructor or an admin writes a lesson's content document.

A lab lesson's ``lab_ref`` is a labs template id the caller may use: its author's own
(or any, for an admin). Anyone else's template answers exactly like a missing one, 422
naming ``lab_ref``, as an asset does in ``AddLesson``."""

from __future__ import annotations

import msgspec

from cmh.courses.application.access import managed_course
from cmh.courses.application.ports import (
    Attachment,
    ContentBlock,
    CourseRepository,
    Labs,
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
        self, courses: CourseRepository, contents: LessonContentStore, clock: Clock, labs: Labs
    ) -> None:
        self._courses = courses
        self._contents = contents
        self._clock = clock
        self._labs = labs

    async def execute(
        self, principal: Principal, course_id: str, lesson_id: str, draft: ContentDraft
    ) -> LessonContent:
        course = await managed_course(self._courses, course_id, principal)
        lesson = course.lesson(lesson_id)
        if draft.lab_ref is not None and lesson.kind is not LessonKind.LAB:
            raise InvalidCourseData("only a lab lesson refers to a lab", field="lab_ref")
        if draft.quiz_ref is not None and lesson.kind is not LessonKind.QUIZ:
            raise InvalidCourseData("only a quiz lesson refers to a quiz", field="quiz_ref")
        if draft.lab_ref is not None and draft.lab_ref != await self._current_lab_ref(
            course.id, lesson.id
        ):
            await self._ensure_usable_template(principal, draft.lab_ref)
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

    async def _current_lab_ref(self, course_id: str, lesson_id: str) -> str | None:
        current = await self._contents.get(course_id, lesson_id)
        return current.lab_ref if current else None

    async def _ensure_usable_template(self, principal: Principal, template_id: str) -> None:
        # Checked when the reference changes: an id is never a capability.
        owner = await self._labs.owner_of(template_id)
        if owner is None or not principal.may_act_for(owner):
            raise InvalidCourseData(
                f"no lab template {template_id!r} that you may use",
                code="lab_template_not_found",
                field="lab_ref",
            )
