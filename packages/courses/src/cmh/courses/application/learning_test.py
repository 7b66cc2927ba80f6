import pytest

from cmh.contracts.events.courses import CourseCompletedV1, LessonCompletedV1, ProgressUpdatedV1
from cmh.courses.application.complete_lesson import CompleteLesson
from cmh.courses.application.complete_quiz_lesson import CompleteQuizLesson
from cmh.courses.application.conftest import INSTRUCTOR, LEARNER, OTHER_LEARNER, Kit
from cmh.courses.application.enroll_learner import EnrollLearner
from cmh.courses.application.get_progress import GetProgress
from cmh.courses.application.handle_user_erasure import HandleUserErasure
from cmh.courses.application.lesson_playback import LessonPlayback
from cmh.courses.application.save_video_position import SaveVideoPosition
from cmh.courses.application.views import CourseView
from cmh.courses.domain.errors import LessonKindMismatch, NotEnrolled
from cmh.courses.domain.values import LessonKind
from cmh.kernel.errors import Forbidden, NotFound


def lesson_ids(course: CourseView) -> list[str]:
    return [lesson.id for module in course.modules for lesson in module.lessons]


async def enrolled(
    kit: Kit, kinds: tuple[LessonKind, ...] = (LessonKind.VIDEO, LessonKind.TEXT)
) -> CourseView:
    course = await kit.course_with_lessons(kinds)
    await kit.use(EnrollLearner).execute(LEARNER, course.id)
    return course


def complete(kit: Kit) -> CompleteLesson:
    return kit.use(CompleteLesson)


async def test_completing_every_lesson_completes_the_course_once(kit: Kit) -> None:
    course = await enrolled(kit)
    first, last = lesson_ids(course)
    assert (await complete(kit).execute(LEARNER, course.id, first)).percentage == 50
    for _ in range(3):
        view = await complete(kit).execute(LEARNER, course.id, last)
    assert view.percentage == 100
    assert view.completed_at is not None
    assert len(kit.uow.events_of(LessonCompletedV1)) == 2
    assert len(kit.uow.events_of(ProgressUpdatedV1)) == 2
    [done] = kit.uow.events_of(CourseCompletedV1)
    assert isinstance(done, CourseCompletedV1)
    assert (done.user_id, done.course_id) == (LEARNER.user_id, course.id)


async def test_quiz_lessons_wait_for_the_assessment(kit: Kit) -> None:
    course = await enrolled(kit, (LessonKind.TEXT, LessonKind.QUIZ))
    text, quiz = lesson_ids(course)
    await complete(kit).execute(LEARNER, course.id, text)
    with pytest.raises(LessonKindMismatch):
        await complete(kit).execute(LEARNER, course.id, quiz)
    passed = kit.use(CompleteQuizLesson)
    for _ in range(2):  # a redelivered grading event
        await passed.execute(
            user_id=LEARNER.user_id,
            course_id=course.id,
            lesson_id=quiz,
        )
    assert len(kit.uow.events_of(CourseCompletedV1)) == 1


async def test_learning_needs_an_enrollment(kit: Kit) -> None:
    course = await enrolled(kit)
    with pytest.raises(NotEnrolled):
        await complete(kit).execute(OTHER_LEARNER, course.id, lesson_ids(course)[0])


async def test_video_positions_are_kept(kit: Kit) -> None:
    course = await enrolled(kit)
    video, text = lesson_ids(course)
    save = kit.use(SaveVideoPosition)
    assert (await save.execute(LEARNER, course.id, video, 42)).positions == {video: 42}
    with pytest.raises(LessonKindMismatch):
        await save.execute(LEARNER, course.id, text, 42)


async def test_progress_is_private_to_the_learner_the_owner_and_admins(kit: Kit) -> None:
    course = await enrolled(kit)
    get = kit.use(GetProgress)
    assert (await get.execute(LEARNER, course.id)).user_id == LEARNER.user_id
    with pytest.raises(Forbidden):
        await get.execute(OTHER_LEARNER, course.id, LEARNER.user_id)
    assert (await get.execute(INSTRUCTOR, course.id, LEARNER.user_id)).percentage == 0
    with pytest.raises(NotFound):
        await get.execute(OTHER_LEARNER, course.id)


async def test_playback_is_for_enrolled_learners_and_video_lessons(kit: Kit) -> None:
    course = await enrolled(kit)
    video, text = lesson_ids(course)
    playback = kit.use(LessonPlayback)
    assert "asset-1" in (await playback.execute(LEARNER, course.id, video)).url
    with pytest.raises(NotEnrolled):
        await playback.execute(OTHER_LEARNER, course.id, video)
    with pytest.raises(LessonKindMismatch):
        await playback.execute(LEARNER, course.id, text)


async def test_erasure_forgets_the_learner(kit: Kit) -> None:
    course = await enrolled(kit)
    erase = kit.use(HandleUserErasure)
    await erase.execute(LEARNER.user_id)
    assert kit.enrollments.rows == {}
    assert kit.progress.rows == {}
    await erase.execute(LEARNER.user_id)  # again (the runner's inbox keeps it to once): harmless
    assert kit.enrollments.rows == {}
    with pytest.raises(NotFound):
        await kit.use(GetProgress).execute(LEARNER, course.id)
