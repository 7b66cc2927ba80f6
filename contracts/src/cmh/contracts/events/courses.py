"""Events published by the Courses context.

Course lifecycle events travel on ``courses.course`` keyed by the course id; learning
events (enrollment, lessons, progress, completion) on ``courses.learning`` keyed by the
enrollment id, so one learner's progress in one course stays ordered.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from cmh.contracts.events.base import IntegrationEvent

COURSE_TOPIC = "courses.course"
LEARNING_TOPIC = "courses.learning"


class CoursePublishedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "course.published"
    TOPIC: ClassVar[str] = COURSE_TOPIC
    course_id: str
    owner_id: str
    title: str
    provider: str
    level: str
    tags: list[str]
    published_at: datetime


class CourseArchivedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "course.archived"
    TOPIC: ClassVar[str] = COURSE_TOPIC
    course_id: str
    archived_at: datetime


class CourseUpdatedV1(IntegrationEvent, frozen=True, kw_only=True):
    """A course's catalog data or outline changed (any status); readers re-read it."""

    TYPE: ClassVar[str] = "course.updated"
    TOPIC: ClassVar[str] = COURSE_TOPIC
    course_id: str
    status: str
    updated_at: datetime


class EnrollmentCreatedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "enrollment.created"
    TOPIC: ClassVar[str] = LEARNING_TOPIC
    enrollment_id: str
    course_id: str
    user_id: str
    enrolled_at: datetime


class EnrollmentCancelledV1(IntegrationEvent, frozen=True, kw_only=True):
    """The learner left the course (unenrolled); enrolling again publishes
    ``enrollment.created`` with the same enrollment id."""

    TYPE: ClassVar[str] = "enrollment.cancelled"
    TOPIC: ClassVar[str] = LEARNING_TOPIC
    enrollment_id: str
    course_id: str
    user_id: str
    cancelled_at: datetime


class LessonCompletedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "lesson.completed"
    TOPIC: ClassVar[str] = LEARNING_TOPIC
    enrollment_id: str
    course_id: str
    lesson_id: str
    user_id: str
    completed_at: datetime


class ProgressUpdatedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "progress.updated"
    TOPIC: ClassVar[str] = LEARNING_TOPIC
    enrollment_id: str
    course_id: str
    user_id: str
    percentage: int
    completed_lessons: int
    counted_lessons: int


class CourseCompletedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "course.completed"
    TOPIC: ClassVar[str] = LEARNING_TOPIC
    enrollment_id: str
    course_id: str
    user_id: str
    completed_at: datetime


COURSE_EVENTS: tuple[type[IntegrationEvent], ...] = (
    CoursePublishedV1,
    CourseArchivedV1,
    CourseUpdatedV1,
    EnrollmentCreatedV1,
    EnrollmentCancelledV1,
    LessonCompletedV1,
    ProgressUpdatedV1,
    CourseCompletedV1,
)
