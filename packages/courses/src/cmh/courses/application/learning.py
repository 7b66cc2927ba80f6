"""Loading what a learning step needs and recording what it changed, shared by the
use cases that move a learner's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cmh.courses.application.ports import CourseRepository, EnrollmentRepository, ProgressRepository
from cmh.courses.domain.course import Course
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.errors import CourseNotFound, NotEnrolled
from cmh.courses.domain.progress import CourseProgress, LessonOutcome
from cmh.courses.domain.values import CourseStatus


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
    state: LearningState, lesson_id: str, outcome: LessonOutcome, now: datetime
) -> None:
    """A newly completed lesson is news (``course.completed`` too on the step that
    finished the course): the progress records it, the unit of work publishes it."""
    state.progress.announce(
        outcome,
        enrollment_id=state.enrollment.id,
        lesson_id=lesson_id,
        outline=state.course.outline(),
        now=now,
    )
