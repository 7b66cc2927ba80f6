"""One contract for every repository implementation (see conftest: memory, SQLite, PG)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from cmh.courses.adapters.sql.conftest import Stores
from cmh.courses.domain.course import Course, Lesson
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.progress import CourseProgress
from cmh.courses.domain.values import CloudProvider, CourseStatus, LessonKind, Level
from cmh.kernel.errors import Conflict

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def sample_course() -> Course:
    course = Course.draft(
        unique("course"),
        owner_id="teacher",
        title="GCP Data Engineering",
        summary="Pipelines.",
        provider=CloudProvider.GCP,
        level=Level.INTERMEDIATE,
        tags=["bigquery", "dataflow"],
        prerequisites=["SQL basics"],
        now=NOW,
    )
    first = course.add_module(unique("m"), title="Storage", now=NOW)
    second = course.add_module(unique("m"), title="Processing", now=NOW)
    course.add_lesson(
        first.id,
        Lesson.create(
            unique("l"),
            title="Intro video",
            kind=LessonKind.VIDEO,
            required=True,
            duration_minutes=12,
            asset_id="asset-9",
        ),
        now=NOW,
    )
    course.add_lesson(
        first.id,
        Lesson.create(
            unique("l"), title="Reading", kind=LessonKind.TEXT, required=False, duration_minutes=5
        ),
        now=NOW,
    )
    course.add_lesson(
        second.id,
        Lesson.create(
            unique("l"), title="Quiz", kind=LessonKind.QUIZ, required=True, duration_minutes=10
        ),
        now=NOW,
    )
    return course


async def test_a_course_round_trips_with_its_outline_in_order(stores: Stores) -> None:
    course = sample_course()
    courses, _, _, commit = await stores.open()
    await courses.add(course)
    await commit()
    courses, _, _, _ = await stores.open()
    loaded = await courses.get(course.id)
    assert loaded == course
    assert await courses.get("missing") is None


async def test_saving_rewrites_the_outline_and_checks_the_version(stores: Stores) -> None:
    course = sample_course()
    courses, _, _, commit = await stores.open()
    await courses.add(course)
    await commit()
    courses, _, _, commit = await stores.open()
    mine = await courses.get(course.id)
    stale = await courses.get(course.id)
    mine.modules.pop(0)
    mine.publish(now=NOW + timedelta(days=1))
    await courses.save(mine)
    await commit()
    with pytest.raises(Conflict):
        await courses.save(stale)
    courses, _, _, _ = await stores.open()
    loaded = await courses.get(course.id)
    assert loaded.status is CourseStatus.PUBLISHED
    assert [m.title for m in loaded.modules] == ["Processing"]
    assert loaded.published_at == NOW + timedelta(days=1)
    assert course.id in [c.id for c in await courses.list_published()]
    assert course.id in [c.id for c in await courses.list_owned_by("teacher")]
    assert course.id not in [c.id for c in await courses.list_owned_by("someone-else")]
    assert [c.id for c in await courses.get_many([course.id, "missing", course.id])] == [course.id]


async def test_a_reordered_outline_is_read_back_in_its_new_order(stores: Stores) -> None:
    course = sample_course()
    courses, _, _, commit = await stores.open()
    await courses.add(course)
    await commit()
    courses, _, _, commit = await stores.open()
    mine = await courses.get(course.id)
    first, second = (m.id for m in mine.modules)
    video, reading = (lesson.id for lesson in mine.modules[0].lessons)
    mine.reorder_modules([second, first], now=NOW + timedelta(hours=1))
    mine.reorder_lessons(first, [reading, video], now=NOW + timedelta(hours=1))
    await courses.save(mine)
    await commit()
    courses, _, _, _ = await stores.open()
    loaded = await courses.get(course.id)
    assert [m.id for m in loaded.modules] == [second, first]
    assert [lesson.id for lesson in loaded.modules[1].lessons] == [reading, video]
    assert loaded.updated_at == NOW + timedelta(hours=1)


async def test_enrollments_are_one_per_user_and_course(stores: Stores) -> None:
    user, course_id = unique("user"), unique("course")
    _, enrollments, _, commit = await stores.open()
    enrollment = Enrollment.start(unique("e"), user_id=user, course_id=course_id, now=NOW)
    await enrollments.add(enrollment)
    await commit()
    with pytest.raises(Conflict):
        await enrollments.add(
            Enrollment.start(unique("e"), user_id=user, course_id=course_id, now=NOW)
        )
    _, enrollments, _, commit = await stores.open()
    loaded = await enrollments.get(user, course_id)
    assert loaded == enrollment
    loaded.cancel(now=NOW + timedelta(hours=1))
    await enrollments.save(loaded)
    await commit()
    _, enrollments, _, commit = await stores.open()
    [again] = await enrollments.list_for_user(user)
    assert again.cancelled_at == NOW + timedelta(hours=1)
    assert await enrollments.delete_for_user(user) == 1
    await commit()
    _, enrollments, _, _ = await stores.open()
    assert await enrollments.get(user, course_id) is None


async def test_progress_round_trips_and_refuses_stale_writes(stores: Stores) -> None:
    user, course_id = unique("user"), unique("course")
    _, _, progress, commit = await stores.open()
    item = CourseProgress.start(user_id=user, course_id=course_id, now=NOW)
    item.completed["l-1"] = NOW
    item.positions["l-2"] = 125
    await progress.add(item)
    await commit()
    _, _, progress, commit = await stores.open()
    mine = await progress.get(user, course_id)
    stale = await progress.get(user, course_id)
    assert mine == item
    mine.completed_at = NOW + timedelta(minutes=5)
    await progress.save(mine)
    await commit()
    with pytest.raises(Conflict):
        await progress.save(stale)
    _, _, progress, commit = await stores.open()
    [loaded] = await progress.list_for_user(user)
    assert loaded.completed_at == NOW + timedelta(minutes=5)
    assert await progress.delete_for_user(user) == 1
    await commit()
    _, _, progress, _ = await stores.open()
    assert await progress.get(user, course_id) is None


async def test_a_write_without_commit_is_gone_when_the_unit_of_work_ends(stores: Stores) -> None:
    course, user = sample_course(), unique("user")
    courses, enrollments, progress, _ = await stores.open()
    await courses.add(course)
    await enrollments.add(Enrollment.start(unique("e"), user_id=user, course_id=course.id, now=NOW))
    await progress.add(CourseProgress.start(user_id=user, course_id=course.id, now=NOW))
    # Read your own writes, as a database session does.
    assert await courses.get(course.id) == course
    assert [e.user_id for e in await enrollments.list_for_user(user)] == [user]
    assert [p.course_id for p in await progress.list_for_user(user)] == [course.id]
    courses, enrollments, progress, _ = await stores.open()  # never committed
    assert await courses.get(course.id) is None
    assert await courses.get_many([course.id]) == []
    assert course.id not in [c.id for c in await courses.list_published()]
    assert await enrollments.get(user, course.id) is None
    assert await progress.list_for_user(user) == []


async def test_a_rollback_drops_the_writes_and_keeps_what_was_committed(stores: Stores) -> None:
    course, user = sample_course(), unique("user")
    courses, enrollments, _, commit = await stores.open()
    await courses.add(course)
    await enrollments.add(Enrollment.start(unique("e"), user_id=user, course_id=course.id, now=NOW))
    await commit()
    courses, enrollments, progress, _ = await stores.open()
    changed = await courses.get(course.id)
    changed.publish(now=NOW + timedelta(days=1))
    await courses.save(changed)
    assert await enrollments.delete_for_user(user) == 1
    await progress.add(CourseProgress.start(user_id=user, course_id=course.id, now=NOW))
    await stores.rollback()
    courses, enrollments, progress, _ = await stores.open()
    kept = await courses.get(course.id)
    assert kept.status is CourseStatus.DRAFT
    assert kept.version == 1
    assert await enrollments.get(user, course.id) is not None
    assert await progress.get(user, course.id) is None
