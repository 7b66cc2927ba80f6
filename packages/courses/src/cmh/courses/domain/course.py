"""The Course aggregate: a course owns its modules, a module its lessons.

Lifecycle: draft -> published -> archived. Drafts are visible to their author and to
admins only; archived courses are frozen. Everything time- or id-dependent is passed in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar

from cmh.courses.domain.errors import (
    CourseNotEditable,
    CourseNotPublishable,
    InvalidCourseData,
    LessonNotFound,
    ModuleNotFound,
)
from cmh.courses.domain.events import CourseArchived, CoursePublished, CourseRevised
from cmh.courses.domain.values import CloudProvider, CourseStatus, LessonKind, Level
from cmh.kernel.domain_events import recorded_events

MAX_TAGS = 10
MAX_PREREQUISITES = 10
MAX_LESSON_MINUTES = 600
_TAG = re.compile(r"^[a-z0-9][a-z0-9.+-]{0,31}$")


def _title(value: str, field_name: str = "title") -> str:
    cleaned = " ".join(value.split())
    if not 3 <= len(cleaned) <= 200:
        raise InvalidCourseData(f"{field_name} must have 3 to 200 characters", field=field_name)
    return cleaned


def _summary(value: str) -> str:
    cleaned = value.strip()
    if len(cleaned) > 1000:
        raise InvalidCourseData("summary must have at most 1000 characters", field="summary")
    return cleaned


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    unique = list(dict.fromkeys(tag.strip().lower() for tag in tags if tag.strip()))
    if len(unique) > MAX_TAGS:
        raise InvalidCourseData(f"at most {MAX_TAGS} tags", field="tags")
    for tag in unique:
        if not _TAG.match(tag):
            raise InvalidCourseData(f"tag {tag!r} must be 1-32 of a-z 0-9 . + -", field="tags")
    return tuple(unique)


def _prerequisites(items: Iterable[str]) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(" ".join(i.split()) for i in items if i.strip()))
    if len(unique) > MAX_PREREQUISITES or any(len(i) > 200 for i in unique):
        raise InvalidCourseData(
            f"at most {MAX_PREREQUISITES} prerequisites of up to 200 characters",
            field="prerequisites",
        )
    return unique


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


def _reordered(items: Sequence[_Item], ids: Sequence[str], field_name: str) -> list[_Item]:
    """``items`` in the order ``ids`` names them. ``ids`` must name each of them exactly
    once: a reorder moves what is there, it never adds, drops or repeats anything."""
    by_id = {item.id: item for item in items}
    named = set(ids)
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    unknown = sorted(named - by_id.keys())
    missing = [i for i in by_id if i not in named]
    problems = [
        f"{label}: {', '.join(found)}"
        for label, found in (("repeated", repeated), ("unknown", unknown), ("missing", missing))
        if found
    ]
    if problems:
        raise InvalidCourseData(
            f"{field_name} must list each existing id exactly once ({'; '.join(problems)})",
            code="invalid_order",
            field=field_name,
        )
    return [by_id[i] for i in ids]


@dataclass
class Lesson:
    id: str
    title: str
    kind: LessonKind
    required: bool
    duration_minutes: int
    asset_id: str | None = None

    @classmethod
    def create(
        cls,
        lesson_id: str,
        *,
        title: str,
        kind: LessonKind,
        required: bool,
        duration_minutes: int,
        asset_id: str | None = None,
    ) -> Lesson:
        if not 0 <= duration_minutes <= MAX_LESSON_MINUTES:
            raise InvalidCourseData(
                f"duration_minutes must be 0 to {MAX_LESSON_MINUTES}", field="duration_minutes"
            )
        if asset_id is not None and kind is not LessonKind.VIDEO:
            raise InvalidCourseData("only video lessons carry a video asset", field="asset_id")
        return cls(lesson_id, _title(title), kind, required, duration_minutes, asset_id)


@dataclass
class Module:
    id: str
    title: str
    lessons: list[Lesson] = field(default_factory=list)


@dataclass(frozen=True)
class CourseOutline:
    """What progress needs to know about a course: its lessons and which ones count.

    The required lessons count towards completion; a course with no lesson marked
    required counts all of them, so it can still be completed.
    """

    kinds: dict[str, LessonKind]
    counted: frozenset[str]


@dataclass
class Course:
    id: str
    owner_id: str
    title: str
    summary: str
    provider: CloudProvider
    level: Level
    tags: tuple[str, ...]
    prerequisites: tuple[str, ...]
    status: CourseStatus
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None
    archived_at: datetime | None = None
    modules: list[Module] = field(default_factory=list)
    version: int = 0
    events: list[object] = recorded_events()

    @classmethod
    def draft(
        cls,
        course_id: str,
        *,
        owner_id: str,
        title: str,
        summary: str,
        provider: CloudProvider,
        level: Level,
        tags: Iterable[str] = (),
        prerequisites: Iterable[str] = (),
        now: datetime,
    ) -> Course:
        return cls(
            id=course_id,
            owner_id=owner_id,
            title=_title(title),
            summary=_summary(summary),
            provider=provider,
            level=level,
            tags=normalize_tags(tags),
            prerequisites=_prerequisites(prerequisites),
            status=CourseStatus.DRAFT,
            created_at=now,
            updated_at=now,
        )

    @property
    def is_published(self) -> bool:
        return self.status is CourseStatus.PUBLISHED

    @property
    def estimated_minutes(self) -> int:
        return sum(lesson.duration_minutes for lesson in self.lessons())

    def lessons(self) -> Iterator[Lesson]:
        for module in self.modules:
            yield from module.lessons

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons():
            if lesson.id == lesson_id:
                return lesson
        raise LessonNotFound(f"lesson {lesson_id} is not part of course {self.id}")

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise ModuleNotFound(f"module {module_id} is not part of course {self.id}")

    def outline(self) -> CourseOutline:
        kinds = {lesson.id: lesson.kind for lesson in self.lessons()}
        required = frozenset(lesson.id for lesson in self.lessons() if lesson.required)
        return CourseOutline(kinds=kinds, counted=required or frozenset(kinds))

    def _ensure_editable(self) -> None:
        if self.status is CourseStatus.ARCHIVED:
            raise CourseNotEditable(f"course {self.id} is archived and can no longer change")

    def revise(
        self,
        *,
        now: datetime,
        title: str | None = None,
        summary: str | None = None,
        provider: CloudProvider | None = None,
        level: Level | None = None,
        tags: Iterable[str] | None = None,
        prerequisites: Iterable[str] | None = None,
    ) -> None:
        self._ensure_editable()
        if title is not None:
            self.title = _title(title)
        if summary is not None:
            self.summary = _summary(summary)
        if provider is not None:
            self.provider = provider
        if level is not None:
            self.level = level
        if tags is not None:
            self.tags = normalize_tags(tags)
        if prerequisites is not None:
            self.prerequisites = _prerequisites(prerequisites)
        self._revised(now)

    def add_module(self, module_id: str, *, title: str, now: datetime) -> Module:
        self._ensure_editable()
        module = Module(module_id, _title(title))
        self.modules.append(module)
        self._revised(now)
        return module

    def add_lesson(self, module_id: str, lesson: Lesson, *, now: datetime) -> Lesson:
        self._ensure_editable()
        if any(existing.id == lesson.id for existing in self.lessons()):
            raise InvalidCourseData(f"lesson id {lesson.id} is already used", field="lesson_id")
        self.module(module_id).lessons.append(lesson)
        self._revised(now)
        return lesson

    def reorder_modules(self, module_ids: Sequence[str], *, now: datetime) -> None:
        """Put the modules in the order ``module_ids`` lists them (all of them, once each)."""
        self._ensure_editable()
        self.modules = _reordered(self.modules, module_ids, "module_ids")
        self._revised(now)

    def reorder_lessons(self, module_id: str, lesson_ids: Sequence[str], *, now: datetime) -> None:
        """Put one module's lessons in the order ``lesson_ids`` lists them (all, once each);
        lessons stay in their module."""
        self._ensure_editable()
        module = self.module(module_id)
        module.lessons = _reordered(module.lessons, lesson_ids, "lesson_ids")
        self._revised(now)

    def _revised(self, now: datetime) -> None:
        self.updated_at = now
        self.events.append(CourseRevised(self.id, self.status.value, now))

    def publish(self, *, now: datetime) -> None:
        if self.status is not CourseStatus.DRAFT:
            raise CourseNotPublishable(f"only a draft can be published; course is {self.status}")
        if not any(module.lessons for module in self.modules):
            raise CourseNotPublishable("a course needs at least one module with one lesson")
        if not self.summary:
            raise CourseNotPublishable("a course needs a summary before it is published")
        self.status = CourseStatus.PUBLISHED
        self.published_at = now
        self.updated_at = now
        self.events.append(
            CoursePublished(
                self.id,
                self.owner_id,
                self.title,
                self.provider.value,
                self.level.value,
                self.tags,
                now,
            )
        )

    def archive(self, *, now: datetime) -> None:
        if self.status is not CourseStatus.PUBLISHED:
            raise CourseNotEditable(f"only a published course can be archived; it is {self.status}")
        self.status = CourseStatus.ARCHIVED
        self.archived_at = now
        self.updated_at = now
        self.events.append(CourseArchived(self.id, now))
