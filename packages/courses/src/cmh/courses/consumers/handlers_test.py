import msgspec
import pytest

from cmh.contracts.events.assessments import AttemptGradedV1
from cmh.contracts.events.courses import CourseCompletedV1
from cmh.courses.application.conftest import INSTRUCTOR, LEARNER, OTHER_LEARNER, Kit, kit
from cmh.courses.application.course_membership import CourseMembership
from cmh.courses.application.enroll_learner import EnrollLearner
from cmh.courses.consumers.handlers import QuizPassedHandler
from cmh.courses.domain.errors import CourseNotFound
from cmh.courses.domain.values import LessonKind
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Forbidden

__all__ = ["kit"]  # the use-case tests' fixture, shared

ASSESSMENTS = Principal(user_id="service:assessments", roles=frozenset({"service"}))


async def test_membership_answers_owner_title_and_enrollment(kit: Kit) -> None:
    course = await kit.course_with_lessons((LessonKind.TEXT,))
    await kit.use(EnrollLearner).execute(LEARNER, course.id)
    ask = kit.use(CourseMembership)
    mine = await ask.execute(LEARNER, course.id, LEARNER.user_id)
    assert (mine.owner_id, mine.enrolled, mine.title) == (INSTRUCTOR.user_id, True, course.title)
    theirs = await ask.execute(ASSESSMENTS, course.id, OTHER_LEARNER.user_id)
    assert theirs.enrolled is False
    with pytest.raises(Forbidden):
        await ask.execute(OTHER_LEARNER, course.id, LEARNER.user_id)
    with pytest.raises(CourseNotFound):
        await ask.execute(ASSESSMENTS, "nope", LEARNER.user_id)


async def test_a_passed_quiz_completes_its_lesson(kit: Kit) -> None:
    course = await kit.course_with_lessons((LessonKind.QUIZ,))
    await kit.use(EnrollLearner).execute(LEARNER, course.id)
    [quiz_lesson] = [lesson.id for module in course.modules for lesson in module.lessons]

    def graded(passed: bool) -> AttemptGradedV1:
        return AttemptGradedV1(
            attempt_id="a1",
            quiz_id="q1",
            quiz_kind="quiz",
            course_id=course.id,
            lesson_id=quiz_lesson,
            user_id=LEARNER.user_id,
            score=1,
            max_score=2,
            percent=50,
            passed=passed,
            timed_out=False,
            skills=[],
            graded_at=course.created_at,
        )

    for passed in (False, True):
        async with kit.container() as request:
            await (await request.get(QuizPassedHandler))(graded(passed=passed))
        if not passed:
            assert kit.uow.events_of(CourseCompletedV1) == []
    teacher = msgspec.structs.replace(graded(passed=True), user_id=INSTRUCTOR.user_id)
    async with kit.container() as request:
        await (await request.get(QuizPassedHandler))(teacher)  # not enrolled: nothing
    assert len(kit.uow.events_of(CourseCompletedV1)) == 1
