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
