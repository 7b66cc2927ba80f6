"""What the use cases answer with: msgspec Structs that are also the HTTP response shapes."""

from __future__ import annotations

from datetime import datetime

import msgspec

from cmh.courses.application.ports import CourseDocument, Facets
from cmh.courses.domain.course import Course, Lesson, Module
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.progress import CourseProgress


class LessonView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    kind: str
    required: bool
    duration_minutes: int
    has_video: bool


class ModuleView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    lessons: list[LessonView]


class CourseView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    owner_id: str
    title: str
    summary: str
    provider: str
    level: str
    tags: list[str]
    prerequisites: list[str]
    status: str
    estimated_minutes: int
    modules: list[ModuleView]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


class CatalogPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[CourseDocument]
    facets: Facets
    next_cursor: str | None


class ProgressView(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    course_id: str
    percentage: int
    completed_lessons: list[str]
    counted_lessons: int
    positions: dict[str, int]
    completed_at: datetime | None


class EnrollmentView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    course_id: str
    course_title: str
    enrolled_at: datetime
    progress: ProgressView


class EnrollmentList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[EnrollmentView]


def lesson_view(lesson: Lesson) -> LessonView:
    return LessonView(
        id=lesson.id,
        title=lesson.title,
        kind=lesson.kind.value,
        required=lesson.required,
        duration_minutes=lesson.duration_minutes,
        has_video=lesson.asset_id is not None,
    )


def module_view(module: Module) -> ModuleView:
    return ModuleView(
        id=module.id, title=module.title, lessons=[lesson_view(x) for x in module.lessons]
    )


def course_view(course: Course) -> CourseView:
    return CourseView(
        id=course.id,
        owner_id=course.owner_id,
        title=course.title,
        summary=course.summary,
        provider=course.provider.value,
        level=course.level.value,
        tags=list(course.tags),
        prerequisites=list(course.prerequisites),
        status=course.status.value,
        estimated_minutes=course.estimated_minutes,
        modules=[module_view(m) for m in course.modules],
        created_at=course.created_at,
        updated_at=course.updated_at,
        published_at=course.published_at,
    )


def course_document(course: Course) -> CourseDocument:
    if course.published_at is None:
        raise ValueError(f"course {course.id} was never published")
    return CourseDocument(
        id=course.id,
        title=course.title,
        summary=course.summary,
        provider=course.provider.value,
        level=course.level.value,
        tags=list(course.tags),
        estimated_minutes=course.estimated_minutes,
        lesson_count=sum(1 for _ in course.lessons()),
        owner_id=course.owner_id,
        published_at=course.published_at,
    )


def progress_view(progress: CourseProgress, course: Course) -> ProgressView:
    outline = course.outline()
    return ProgressView(
        user_id=progress.user_id,
        course_id=progress.course_id,
        percentage=progress.percentage(outline),
        completed_lessons=sorted(progress.completed),
        counted_lessons=len(outline.counted),
        positions=dict(progress.positions),
        completed_at=progress.completed_at,
    )


def enrollment_view(
    enrollment: Enrollment, course: Course, progress: CourseProgress
) -> EnrollmentView:
    return EnrollmentView(
        id=enrollment.id,
        course_id=course.id,
        course_title=course.title,
        enrolled_at=enrollment.enrolled_at,
        progress=progress_view(progress, course),
    )
