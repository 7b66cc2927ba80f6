"""Course reminders: a learner quiet for a week in a course is reminded once per quiet
spell on their channels; learning again starts a new spell; a finished course is left
alone."""

from __future__ import annotations

from datetime import timedelta

from cmh.contracts.events.courses import CourseCompletedV1, EnrollmentCreatedV1, LessonCompletedV1
from cmh.notifications.application.conftest import NOW, World
from cmh.notifications.application.learning_activity import RemindInactiveLearners


async def remind(world: World) -> int:
    reminded: int = await (await world.use(RemindInactiveLearners)).execute()
    return reminded


async def reminders(world: World) -> list[str]:
    return [n.body for n in await world.notifications() if n.kind == "course.reminder"]


async def test_a_quiet_learner_is_reminded_once_per_quiet_spell(world: World) -> None:
    await world.register("ada")
    await world.publish(
        EnrollmentCreatedV1(enrollment_id="e1", course_id="c1", user_id="ada", enrolled_at=NOW)
    )
    world.clock.advance(timedelta(days=6, hours=23))
    assert await remind(world) == 0
    world.clock.advance(timedelta(hours=1))
    assert await remind(world) == 1
    assert await remind(world) == 0  # the same spell: once
    [body] = await reminders(world)
    assert body.startswith("It has been 7 days")
    await world.publish(
        LessonCompletedV1(
            enrollment_id="e1",
            course_id="c1",
            lesson_id="l1",
            user_id="ada",
            completed_at=world.clock.now(),
        )
    )
    world.clock.advance(timedelta(days=7))
    assert await remind(world) == 1
    assert len(await reminders(world)) == 2
    await (await world.jobs()).drain()
    subjects = [m.subject for m in (await world.mailer()).to("ada@example.com")]
    assert subjects.count("Pick up where you left off") == 2


async def test_a_completed_course_is_never_reminded_of(world: World) -> None:
    await world.publish(
        EnrollmentCreatedV1(enrollment_id="e1", course_id="c1", user_id="ada", enrolled_at=NOW)
    )
    await world.publish(
        CourseCompletedV1(enrollment_id="e1", course_id="c1", user_id="ada", completed_at=NOW)
    )
    world.clock.advance(timedelta(days=30))
    assert await remind(world) == 0
