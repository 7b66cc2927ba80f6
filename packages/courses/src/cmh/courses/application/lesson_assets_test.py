"""A video lesson may only use an asset its author owns (or any, for an admin), and
playback is signed only for courses an asset was attached to."""

import pytest

from cmh.courses.application.add_lesson import NewLesson
from cmh.courses.application.conftest import (
    ADMIN,
    INSTRUCTOR,
    LEARNER,
    OTHER_INSTRUCTOR,
    Kit,
)
from cmh.courses.application.enroll_learner import EnrollLearner
from cmh.courses.application.lesson_playback import LessonPlayback
from cmh.courses.application.publish_course import PublishCourse
from cmh.courses.application.views import CourseView
from cmh.courses.domain.course import Lesson
from cmh.courses.domain.errors import InvalidCourseData
from cmh.courses.domain.values import LessonKind
from cmh.kernel.errors import NotFound

VIDEO = LessonKind.VIDEO


async def rival_draft(kit: Kit) -> CourseView:
    return await kit.course_with_lessons((LessonKind.TEXT,), publish=False, owner=OTHER_INSTRUCTOR)


def video_lesson(asset_id: str) -> NewLesson:
    return NewLesson(title="Borrowed", kind=VIDEO, duration_minutes=5, asset_id=asset_id)


@pytest.mark.parametrize("status", ["created", "ready"])
async def test_someone_elses_asset_cannot_be_put_in_a_lesson(kit: Kit, status: str) -> None:
    kit.media.add_asset("paid-video", owner_id=INSTRUCTOR.user_id, status=status)
    course = await rival_draft(kit)
    with pytest.raises(InvalidCourseData) as raised:
        await kit.add_lesson.execute(
            OTHER_INSTRUCTOR, course.id, course.modules[0].id, video_lesson("paid-video")
        )
    assert (raised.value.code, raised.value.field) == ("asset_not_found", "asset_id")
    assert kit.media.attachments == set()
    stored = await kit.courses.get(course.id)
    assert stored is not None
    assert [lesson.title for lesson in stored.modules[0].lessons] == ["Lesson 0"]


async def test_a_missing_asset_answers_like_someone_elses(strict_kit: Kit) -> None:
    course = await rival_draft(strict_kit)
    with pytest.raises(InvalidCourseData) as raised:
        await strict_kit.add_lesson.execute(
            OTHER_INSTRUCTOR, course.id, course.modules[0].id, video_lesson("no-such-asset")
        )
    assert (raised.value.code, raised.value.field) == ("asset_not_found", "asset_id")


async def test_the_owner_and_admins_attach_and_the_course_is_recorded(kit: Kit) -> None:
    kit.media.add_asset("own-video", owner_id=OTHER_INSTRUCTOR.user_id)
    course = await rival_draft(kit)
    module_id = course.modules[0].id
    await kit.add_lesson.execute(OTHER_INSTRUCTOR, course.id, module_id, video_lesson("own-video"))
    kit.media.add_asset("house-video", owner_id=INSTRUCTOR.user_id)
    await kit.add_lesson.execute(ADMIN, course.id, module_id, video_lesson("house-video"))
    assert kit.media.attachments == {("own-video", course.id), ("house-video", course.id)}


async def test_only_a_video_asset_goes_in_a_video_lesson(kit: Kit) -> None:
    kit.media.add_asset("slides", owner_id=OTHER_INSTRUCTOR.user_id, kind="document")
    course = await rival_draft(kit)
    with pytest.raises(InvalidCourseData) as raised:
        await kit.add_lesson.execute(
            OTHER_INSTRUCTOR, course.id, course.modules[0].id, video_lesson("slides")
        )
    assert (raised.value.code, raised.value.field) == ("asset_not_a_video", "asset_id")


async def test_playback_of_a_lesson_whose_asset_was_never_attached_is_refused(kit: Kit) -> None:
    # A lesson stored before attachments were checked still names someone else's asset.
    kit.media.add_asset("paid-video", owner_id=INSTRUCTOR.user_id)
    course = await rival_draft(kit)
    stored = await kit.courses.get(course.id)
    assert stored is not None
    borrowed = Lesson.create(
        "l-borrowed",
        title="Borrowed",
        kind=VIDEO,
        required=True,
        duration_minutes=5,
        asset_id="paid-video",
    )
    stored.add_lesson(stored.modules[0].id, borrowed, now=kit.clock.now())
    async with kit.uow:
        await kit.courses.save(stored)
        await kit.uow.commit()
    await kit.use(PublishCourse).execute(OTHER_INSTRUCTOR, course.id)
    await kit.use(EnrollLearner).execute(LEARNER, course.id)
    playback = kit.use(LessonPlayback)
    with pytest.raises(NotFound):
        await playback.execute(LEARNER, course.id, "l-borrowed")
