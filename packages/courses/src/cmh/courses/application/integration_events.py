"""The Courses context's domain events as the ``contracts`` events other contexts read."""

from __future__ import annotations

from cmh.contracts.events.courses import (
    CourseArchivedV1,
    CourseCompletedV1,
    CoursePublishedV1,
    CourseUpdatedV1,
    EnrollmentCancelledV1,
    EnrollmentCreatedV1,
    LessonCompletedV1,
    ProgressUpdatedV1,
)
from cmh.courses.domain.events import (
    CourseArchived,
    CoursePublished,
    CourseRevised,
    LearnerEnrolled,
    LearnerUnenrolled,
    LessonCompleted,
)
from cmh.kernel.event_mapping import EventMap, Outgoing


def _revised(e: CourseRevised) -> Outgoing:
    return Outgoing(
        CourseUpdatedV1(course_id=e.course_id, status=e.status, updated_at=e.at), e.course_id
    )


def _published(e: CoursePublished) -> Outgoing:
    event = CoursePublishedV1(
        course_id=e.course_id,
        owner_id=e.owner_id,
        title=e.title,
        provider=e.provider,
        level=e.level,
        tags=list(e.tags),
        published_at=e.at,
    )
    return Outgoing(event, e.course_id)


def _archived(e: CourseArchived) -> Outgoing:
    return Outgoing(CourseArchivedV1(course_id=e.course_id, archived_at=e.at), e.course_id)


def _enrolled(e: LearnerEnrolled) -> Outgoing:
    event = EnrollmentCreatedV1(
        enrollment_id=e.enrollment_id, course_id=e.course_id, user_id=e.user_id, enrolled_at=e.at
    )
    return Outgoing(event, e.enrollment_id)


def _unenrolled(e: LearnerUnenrolled) -> Outgoing:
    event = EnrollmentCancelledV1(
        enrollment_id=e.enrollment_id, course_id=e.course_id, user_id=e.user_id, cancelled_at=e.at
    )
    return Outgoing(event, e.enrollment_id)


def _lesson_completed(e: LessonCompleted) -> list[Outgoing]:
    """``course.completed`` only on the step that finished the course."""
    common = {"enrollment_id": e.enrollment_id, "course_id": e.course_id, "user_id": e.user_id}
    events = [
        LessonCompletedV1(**common, lesson_id=e.lesson_id, completed_at=e.at),
        ProgressUpdatedV1(
            **common,
            percentage=e.percentage,
            completed_lessons=e.completed_lessons,
            counted_lessons=e.counted_lessons,
        ),
    ]
    if e.course_completed:
        events.append(CourseCompletedV1(**common, completed_at=e.at))
    return [Outgoing(event, e.enrollment_id) for event in events]


COURSES_EVENTS = EventMap(
    {
        CourseRevised: _revised,
        CoursePublished: _published,
        CourseArchived: _archived,
        LearnerEnrolled: _enrolled,
        LearnerUnenrolled: _unenrolled,
        LessonCompleted: _lesson_completed,
    }
)
