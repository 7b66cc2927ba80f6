from datetime import UTC, datetime, timedelta

import pytest

from cmh.courses.domain.course import Course, Lesson
from cmh.courses.domain.errors import (
    CourseNotEditable,
    CourseNotPublishable,
    InvalidCourseData,
    LessonNotFound,
    ModuleNotFound,
)
from cmh.courses.domain.events import CourseRevised
from cmh.courses.domain.values import CloudProvider, CourseStatus, LessonKind, Level

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def draft(**overrides: object) -> Course:
    fields: dict[str, object] = {
        "owner_id": "teacher",
        "title": "AWS Foundations",
        "summary": "Start with the cloud.",
        "provider": CloudProvider.AWS,
        "level": Level.BEGINNER,
        "tags": ["EC2", "s3", "ec2"],
        "now": NOW,
    }
    fields.update(overrides)
    return Course.draft("c-1", **fields)  # type: ignore[arg-type]


def lesson(lesson_id: str, kind: LessonKind = LessonKind.TEXT, *, required: bool = True) -> Lesson:
    return Lesson.create(
        lesson_id, title=f"Lesson {lesson_id}", kind=kind, required=required, duration_minutes=10
    )


def test_a_new_course_is_a_draft_with_normalized_tags() -> None:
    course = draft()
    assert course.status is CourseStatus.DRAFT
    assert course.tags == ("ec2", "s3")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "ab"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 1001}, "summary"),
        ({"tags": ["bad tag"]}, "tags"),
        ({"tags": [f"t{i}" for i in range(11)]}, "tags"),
    ],
)
def test_bad_course_data_names_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidCourseData) as raised:
        draft(**overrides)
    assert raised.value.field == field


def test_publishing_needs_a_module_with_a_lesson() -> None:
    course = draft()
    with pytest.raises(CourseNotPublishable):
        course.publish(now=NOW)
    course.add_module("m-1", title="Basics", now=NOW)
    with pytest.raises(CourseNotPublishable):
        course.publish(now=NOW)
    course.add_lesson("m-1", lesson("l-1"), now=NOW)
    course.publish(now=NOW + timedelta(hours=1))
    assert course.status is CourseStatus.PUBLISHED
    assert course.published_at == NOW + timedelta(hours=1)


def test_publishing_needs_a_summary() -> None:
    course = draft(summary="")
    course.add_module("m-1", title="Basics", now=NOW)
    course.add_lesson("m-1", lesson("l-1"), now=NOW)
    with pytest.raises(CourseNotPublishable):
        course.publish(now=NOW)


def test_lifecycle_runs_one_way() -> None:
    course = draft()
    with pytest.raises(CourseNotEditable):
        course.archive(now=NOW)
    course.add_module("m-1", title="Basics", now=NOW)
    course.add_lesson("m-1", lesson("l-1"), now=NOW)
    course.publish(now=NOW)
    with pytest.raises(CourseNotPublishable):
        course.publish(now=NOW)
    course.archive(now=NOW)
    assert course.status is CourseStatus.ARCHIVED
    with pytest.raises(CourseNotEditable):
        course.revise(now=NOW, title="New title")
    with pytest.raises(CourseNotEditable):
        course.add_module("m-2", title="More", now=NOW)
    with pytest.raises(CourseNotPublishable):
        course.publish(now=NOW)


def test_outline_counts_required_lessons_or_all_when_none_is_required() -> None:
    course = draft()
    course.add_module("m-1", title="Basics", now=NOW)
    course.add_lesson("m-1", lesson("l-1", required=False), now=NOW)
    course.add_lesson("m-1", lesson("l-2", required=False), now=NOW)
    assert course.outline().counted == {"l-1", "l-2"}
    course.add_lesson("m-1", lesson("l-3", LessonKind.QUIZ), now=NOW)
    assert course.outline().counted == {"l-3"}
    assert course.estimated_minutes == 30


def test_lessons_go_into_existing_modules_with_unique_ids() -> None:
    course = draft()
    with pytest.raises(ModuleNotFound):
        course.add_lesson("m-9", lesson("l-1"), now=NOW)
    course.add_module("m-1", title="Basics", now=NOW)
    course.add_lesson("m-1", lesson("l-1"), now=NOW)
    with pytest.raises(InvalidCourseData):
        course.add_lesson("m-1", lesson("l-1"), now=NOW)
    with pytest.raises(LessonNotFound):
        course.lesson("l-2")


def test_only_video_lessons_carry_an_asset_and_durations_are_bounded() -> None:
    with pytest.raises(InvalidCourseData) as raised:
        Lesson.create(
            "l",
            title="Read me",
            kind=LessonKind.TEXT,
            required=True,
            duration_minutes=5,
            asset_id="a",
        )
    assert raised.value.field == "asset_id"
    with pytest.raises(InvalidCourseData):
        Lesson.create(
            "l", title="Too long", kind=LessonKind.VIDEO, required=True, duration_minutes=601
        )


def outlined() -> Course:
    course = draft()
    for module_id in ("m-1", "m-2", "m-3"):
        course.add_module(module_id, title=f"Module {module_id}", now=NOW)
    for lesson_id in ("l-1", "l-2", "l-3"):
        course.add_lesson("m-1", lesson(lesson_id), now=NOW)
    course.events.clear()
    return course


def test_modules_and_lessons_are_reordered_in_place() -> None:
    course = outlined()
    later = NOW + timedelta(minutes=5)
    course.reorder_modules(["m-3", "m-1", "m-2"], now=later)
    assert [m.id for m in course.modules] == ["m-3", "m-1", "m-2"]
    course.reorder_lessons("m-1", ["l-2", "l-3", "l-1"], now=later)
    assert [lesson.id for lesson in course.module("m-1").lessons] == ["l-2", "l-3", "l-1"]
    assert course.updated_at == later
    assert [type(e) for e in course.events] == [CourseRevised, CourseRevised]


@pytest.mark.parametrize(
    ("ids", "named"),
    [
        (["m-3", "m-1"], "missing: m-2"),
        (["m-3", "m-1", "m-2", "m-9"], "unknown: m-9"),
        (["m-3", "m-1", "m-1", "m-2"], "repeated: m-1"),
        (["m-3", "m-1", "m-1"], "repeated: m-1; missing: m-2"),
        ([], "missing: m-1, m-2, m-3"),
    ],
)
def test_a_module_order_must_name_every_module_once(ids: list[str], named: str) -> None:
    course = outlined()
    with pytest.raises(InvalidCourseData) as raised:
        course.reorder_modules(ids, now=NOW)
    assert (raised.value.field, raised.value.code) == ("module_ids", "invalid_order")
    assert named in raised.value.detail
    assert [m.id for m in course.modules] == ["m-1", "m-2", "m-3"]
    assert course.events == []


def test_a_lesson_order_stays_within_its_module() -> None:
    course = outlined()
    course.add_lesson("m-2", lesson("l-4"), now=NOW)
    with pytest.raises(InvalidCourseData) as raised:  # l-4 belongs to another module
        course.reorder_lessons("m-1", ["l-1", "l-2", "l-3", "l-4"], now=NOW)
    assert raised.value.field == "lesson_ids"
    assert "unknown: l-4" in raised.value.detail
    with pytest.raises(ModuleNotFound):
        course.reorder_lessons("m-9", [], now=NOW)
    course.reorder_lessons("m-3", [], now=NOW)  # an empty module's only order
    assert course.module("m-3").lessons == []


def test_an_archived_course_keeps_its_order() -> None:
    course = outlined()
    course.publish(now=NOW)
    course.archive(now=NOW)
    with pytest.raises(CourseNotEditable):
        course.reorder_modules(["m-2", "m-1", "m-3"], now=NOW)
    with pytest.raises(CourseNotEditable):
        course.reorder_lessons("m-1", ["l-1", "l-2", "l-3"], now=NOW)
