"""What happens to courses, enrollments and progress, as their aggregates record it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CourseRevised:
    course_id: str
    status: str
    at: datetime


@dataclass(frozen=True)
class CoursePublished:
    course_id: str
    owner_id: str
    title: str
    provider: str
    level: str
    tags: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class CourseArchived:
    course_id: str
    at: datetime


@dataclass(frozen=True)
class LearnerEnrolled:
    enrollment_id: str
    course_id: str
    user_id: str
    at: datetime


@dataclass(frozen=True)
class LearnerUnenrolled:
    enrollment_id: str
    course_id: str
    user_id: str
    at: datetime


@dataclass(frozen=True)
class LessonCompleted:
    """A lesson newly done, with where the learner stands in the course after it."""

    enrollment_id: str
    course_id: str
    user_id: str
    lesson_id: str
    percentage: int
    completed_lessons: int
    counted_lessons: int
    course_completed: bool
    at: datetime
