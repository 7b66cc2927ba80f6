"""Loading what a learning step needs and recording what it changed, shared by the
use cases that move a learner's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cmh.contracts.events.courses import CourseCompletedV1, LessonCompletedV1, ProgressUpdatedV1
from cmh.courses.application.ports import CourseRepository, EnrollmentRepository, ProgressRepository
from cmh.courses.domain.course import Course
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.errors import CourseNotFound, NotEnrolled
from cmh.courses.domain.progress import CourseProgress, LessonOutcome
from cmh.courses.domain.values import CourseStatus
from cmh.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class LearningState:
    course: Course
    enrollment: Enrollment
    progress: CourseProgress


async def load_learning(
    courses: CourseRepository,
    enrollments: EnrollmentRepository,
    progress: ProgressRepository,
    *,
    user_id: str,
    course_id: str,
    now: datetime,
) -> LearningState:
    # Enrolled learners keep learning in an archived course; drafts have no learners.
    course = await courses.get(course_id)
    if course is None or course.status is CourseStatus.DRAFT:
        raise CourseNotFound(f"course {course_id} not found")
    enrollment = await enrollments.get(user_id, course_id)
    if enrollment is None or not enrollment.active:
        raise NotEnrolled(f"enroll in course {course_id} first")
    mine = await progress.get(user_id, course_id)
    if mine is None:
        mine = CourseProgress.start(user_id=user_id, course_id=course_id, now=now)
        await progress.add(mine)
    return LearningState(course, enrollment, mine)


def record_lesson_outcome(
    uow: UnitOfWork, state: LearningState, lesson_id: str, outcome: LessonOutcome, now: datetime
) -> None:
    """The events of a newly completed lesson; ``course.completed`` only on the step that
    finished the course (the domain flags it once, the stored ``completed_at`` keeps it so)."""
    if not outcome.newly_completed:
        return
    course, enrollment, progress = state.course, state.enrollment, state.progress
    outline = course.outline()
    common = {"enrollment_id": enrollment.id, "course_id": course.id, "user_id": progress.user_id}
    uow.publish(
        LessonCompletedV1(**common, lesson_id=lesson_id, completed_at=now), subject=enrollment.id
    )
    uow.publish(
        ProgressUpdatedV1(
            **common,
            percentage=progress.percentage(outline),
            completed_lessons=progress.counted_done(outline),
            counted_lessons=len(outline.counted),
        ),
        subject=enrollment.id,
    )
    if outcome.course_completed:
        uow.publish(CourseCompletedV1(**common, completed_at=now), subject=enrollment.id)
