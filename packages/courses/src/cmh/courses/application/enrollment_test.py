import pytest

from cmh.contracts.events.courses import EnrollmentCancelledV1, EnrollmentCreatedV1
from cmh.courses.application.conftest import LEARNER, Kit
from cmh.courses.application.enroll_learner import EnrollLearner
from cmh.courses.application.my_enrollments import MyEnrollments
from cmh.courses.application.unenroll import Unenroll
from cmh.courses.domain.errors import CourseNotFound, CourseNotOpen, NotEntitled
from cmh.courses.domain.values import Level
from cmh.kernel.errors import Forbidden


def enroll(kit: Kit) -> EnrollLearner:
    return kit.use(EnrollLearner)


async def test_free_tier_takes_beginner_courses_only(kit: Kit) -> None:
    beginner = await kit.course_with_lessons(level=Level.BEGINNER)
    advanced = await kit.course_with_lessons(level=Level.ADVANCED)
    kit.entitlements.set_user(LEARNER.user_id, "free")
    assert (await enroll(kit).execute(LEARNER, beginner.id)).course_id == beginner.id
    with pytest.raises(NotEntitled) as raised:
        await enroll(kit).execute(LEARNER, advanced.id)
    assert raised.value.code == "not_entitled"
    kit.entitlements.set_user(LEARNER.user_id, "pro")
    assert (await enroll(kit).execute(LEARNER, advanced.id)).course_id == advanced.id


async def test_inactive_users_are_refused(kit: Kit) -> None:
    course = await kit.course_with_lessons()
    kit.entitlements.set_user(LEARNER.user_id, "pro", active=False)
    with pytest.raises(Forbidden) as raised:
        await enroll(kit).execute(LEARNER, course.id)
    assert raised.value.code == "account_inactive"


async def test_enrolling_twice_is_one_enrollment_and_one_event(kit: Kit) -> None:
    course = await kit.course_with_lessons()
    first = await enroll(kit).execute(LEARNER, course.id)
    again = await enroll(kit).execute(LEARNER, course.id)
    assert first.id == again.id
    assert len(kit.uow.events_of(EnrollmentCreatedV1)) == 1


async def test_unenroll_then_enroll_again_reuses_the_enrollment(kit: Kit) -> None:
    course = await kit.course_with_lessons()
    first = await enroll(kit).execute(LEARNER, course.id)
    await kit.use(Unenroll).execute(LEARNER, course.id)
    assert (await kit.use(MyEnrollments).execute(LEARNER)).items == []
    back = await enroll(kit).execute(LEARNER, course.id)
    assert back.id == first.id
    mine = await kit.use(MyEnrollments).execute(LEARNER)
    assert [item.course_id for item in mine.items] == [course.id]
    assert mine.items[0].progress.percentage == 0


async def test_unenrolling_publishes_one_enrollment_cancelled(kit: Kit) -> None:
    course = await kit.course_with_lessons()
    enrollment = await enroll(kit).execute(LEARNER, course.id)
    await kit.use(Unenroll).execute(LEARNER, course.id)
    await kit.use(Unenroll).execute(LEARNER, course.id)  # already left: nothing more
    [cancelled] = kit.uow.events_of(EnrollmentCancelledV1)
    assert isinstance(cancelled, EnrollmentCancelledV1)
    assert (cancelled.enrollment_id, cancelled.course_id, cancelled.user_id) == (
        enrollment.id,
        course.id,
        LEARNER.user_id,
    )
    await enroll(kit).execute(LEARNER, course.id)
    assert len(kit.uow.events_of(EnrollmentCreatedV1)) == 2


async def test_drafts_and_unknown_courses_cannot_be_joined(kit: Kit) -> None:
    course = await kit.course_with_lessons(publish=False)
    with pytest.raises(CourseNotFound):
        await enroll(kit).execute(LEARNER, course.id)
    with pytest.raises(CourseNotFound):
        await enroll(kit).execute(LEARNER, "nope")


async def test_archived_courses_take_no_new_learners(kit: Kit) -> None:
    from cmh.courses.application.archive_course import ArchiveCourse
    from cmh.courses.application.conftest import ADMIN

    course = await kit.course_with_lessons()
    await kit.use(ArchiveCourse).execute(ADMIN, course.id)
    with pytest.raises(CourseNotOpen):
        await enroll(kit).execute(LEARNER, course.id)
