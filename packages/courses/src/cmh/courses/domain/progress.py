"""A learner's progress in one course.

The percentage runs over the lessons that count (see ``CourseOutline``); the course is
completed exactly once, at the moment the last counted lesson is done. Quiz lessons are
completed by a passed assessment, never by the learner clicking "done".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cmh.courses.domain.course import CourseOutline
from cmh.courses.domain.errors import InvalidCourseData, LessonKindMismatch, LessonNotFound
from cmh.courses.domain.events import LessonCompleted
from cmh.courses.domain.values import LessonKind
from cmh.kernel.domain_events import recorded_events

MAX_POSITION_SECONDS = 24 * 3600


@dataclass(frozen=True)
class LessonOutcome:
    newly_completed: bool
    course_completed: bool


@dataclass
class CourseProgress:
    user_id: str
    course_id: str
    updated_at: datetime
    completed: dict[str, datetime] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    completed_at: datetime | None = None
    version: int = 0
    events: list[object] = recorded_events()

    @classmethod
    def start(cls, *, user_id: str, course_id: str, now: datetime) -> CourseProgress:
        return cls(user_id=user_id, course_id=course_id, updated_at=now)

    def announce(
        self,
        outcome: LessonOutcome,
        *,
        enrollment_id: str,
        lesson_id: str,
        outline: CourseOutline,
        now: datetime,
    ) -> None:
        """Record a newly completed lesson (nothing for a lesson done before)."""
        if outcome.newly_completed:
            self.events.append(
                LessonCompleted(
                    enrollment_id,
                    self.course_id,
                    self.user_id,
                    lesson_id,
                    percentage=self.percentage(outline),
                    completed_lessons=self.counted_done(outline),
                    counted_lessons=len(outline.counted),
                    course_completed=outcome.course_completed,
                    at=now,
                )
            )

    def counted_done(self, outline: CourseOutline) -> int:
        return len(outline.counted.intersection(self.completed))

    def percentage(self, outline: CourseOutline) -> int:
        if not outline.counted:
            return 0
        # Floor, so 100 means every counted lesson is done, never "almost".
        return 100 * self.counted_done(outline) // len(outline.counted)

    def complete_lesson(
        self, lesson_id: str, outline: CourseOutline, *, now: datetime
    ) -> LessonOutcome:
        if self._kind(lesson_id, outline) is LessonKind.QUIZ:
            raise LessonKindMismatch("a quiz lesson is completed by passing its assessment")
        return self._mark_done(lesson_id, outline, now)

    def record_quiz_passed(
        self, lesson_id: str, outline: CourseOutline, *, now: datetime
    ) -> LessonOutcome:
        if self._kind(lesson_id, outline) is not LessonKind.QUIZ:
            raise LessonKindMismatch(f"lesson {lesson_id} is not a quiz")
        return self._mark_done(lesson_id, outline, now)

    def save_position(
        self, lesson_id: str, seconds: int, outline: CourseOutline, *, now: datetime
    ) -> None:
        if self._kind(lesson_id, outline) is not LessonKind.VIDEO:
            raise LessonKindMismatch("a resume position is kept for video lessons only")
        if not 0 <= seconds <= MAX_POSITION_SECONDS:
            raise InvalidCourseData(f"seconds must be 0 to {MAX_POSITION_SECONDS}", field="seconds")
        self.positions[lesson_id] = seconds
        self.updated_at = now

    @staticmethod
    def _kind(lesson_id: str, outline: CourseOutline) -> LessonKind:
        kind = outline.kinds.get(lesson_id)
        if kind is None:
            raise LessonNotFound(f"lesson {lesson_id} is not part of this course")
        return kind

    def _mark_done(self, lesson_id: str, outline: CourseOutline, now: datetime) -> LessonOutcome:
        if lesson_id in self.completed:
            return LessonOutcome(newly_completed=False, course_completed=False)
        self.completed[lesson_id] = now
        self.updated_at = now
        finished = self.completed_at is None and outline.counted.issubset(self.completed)
        if finished:
            self.completed_at = now
        return LessonOutcome(newly_completed=True, course_completed=finished)
