"""Request bodies of the Courses API. Constraints live in the types, so bad input is a
422 naming the field before any use case runs. Responses are the application's views."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from cmh.courses.application.add_lesson import NewLesson
from cmh.courses.application.create_course import NewCourse
from cmh.courses.application.ports import Attachment, ContentBlock
from cmh.courses.application.put_lesson_content import ContentDraft
from cmh.courses.application.update_course import CourseRevision
from cmh.courses.domain.values import CloudProvider, LessonKind, Level

Title = Annotated[str, Meta(min_length=3, max_length=200)]
Summary = Annotated[str, Meta(max_length=1000)]
Tag = Annotated[str, Meta(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")]
Tags = Annotated[list[Tag], Meta(max_length=10)]
Prerequisite = Annotated[str, Meta(min_length=1, max_length=200)]
Prerequisites = Annotated[list[Prerequisite], Meta(max_length=10)]
Ref = Annotated[str, Meta(min_length=1, max_length=200)]


class CourseCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    provider: CloudProvider
    level: Level
    summary: Summary = ""
    tags: Tags = []
    prerequisites: Prerequisites = []

    def command(self) -> NewCourse:
        return NewCourse(
            title=self.title,
            summary=self.summary,
            provider=self.provider,
            level=self.level,
            tags=tuple(self.tags),
            prerequisites=tuple(self.prerequisites),
        )


class CourseUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title | None = None
    summary: Summary | None = None
    provider: CloudProvider | None = None
    level: Level | None = None
    tags: Tags | None = None
    prerequisites: Prerequisites | None = None

    def command(self) -> CourseRevision:
        return CourseRevision(
            title=self.title,
            summary=self.summary,
            provider=self.provider,
            level=self.level,
            tags=tuple(self.tags) if self.tags is not None else None,
            prerequisites=tuple(self.prerequisites) if self.prerequisites is not None else None,
        )


class ModuleCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title


Ids = Annotated[list[Ref], Meta(max_length=500)]


class ModuleOrder(msgspec.Struct, forbid_unknown_fields=True):
    """Every module of the course, once each, in their new order."""

    module_ids: Ids


class LessonOrder(msgspec.Struct, forbid_unknown_fields=True):
    """Every lesson of the module, once each, in their new order."""

    lesson_ids: Ids


class LessonCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    kind: LessonKind
    required: bool = True
    duration_minutes: Annotated[int, Meta(ge=0, le=600)] = 0
    asset_id: Ref | None = None

    def command(self) -> NewLesson:
        return NewLesson(
            title=self.title,
            kind=self.kind,
            required=self.required,
            duration_minutes=self.duration_minutes,
            asset_id=self.asset_id,
        )


class ContentBlockIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Literal["heading", "paragraph", "code", "callout", "image", "list"]
    text: Annotated[str, Meta(max_length=20_000)] = ""
    language: Annotated[str, Meta(max_length=32)] | None = None
    url: Annotated[str, Meta(max_length=2000)] | None = None


class AttachmentIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    url: Annotated[str, Meta(min_length=1, max_length=2000)]
    size_bytes: Annotated[int, Meta(ge=0)] = 0


class LessonContentPut(msgspec.Struct, forbid_unknown_fields=True):
    blocks: Annotated[list[ContentBlockIn], Meta(max_length=500)]
    attachments: Annotated[list[AttachmentIn], Meta(max_length=50)] = []
    lab_ref: Ref | None = None
    quiz_ref: Ref | None = None

    def command(self) -> ContentDraft:
        return ContentDraft(
            blocks=tuple(
                ContentBlock(kind=b.kind, text=b.text, language=b.language, url=b.url)
                for b in self.blocks
            ),
            attachments=tuple(
                Attachment(name=a.name, url=a.url, size_bytes=a.size_bytes)
                for a in self.attachments
            ),
            lab_ref=self.lab_ref,
            quiz_ref=self.quiz_ref,
        )


class VideoPosition(msgspec.Struct, forbid_unknown_fields=True):
    seconds: Annotated[int, Meta(ge=0, le=86_400)]
