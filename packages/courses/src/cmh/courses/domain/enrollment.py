"""A learner's enrollment in a course. One per (user, course); unenrolling cancels it and
enrolling again reactivates the same enrollment, so its id (the event key) stays stable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cmh.courses.domain.events import LearnerEnrolled, LearnerUnenrolled
from cmh.kernel.domain_events import recorded_events


@dataclass
class Enrollment:
    id: str
    user_id: str
    course_id: str
    enrolled_at: datetime
    cancelled_at: datetime | None = None
    events: list[object] = recorded_events()

    @classmethod
    def start(
        cls, enrollment_id: str, *, user_id: str, course_id: str, now: datetime
    ) -> Enrollment:
        enrollment = cls(enrollment_id, user_id, course_id, enrolled_at=now)
        enrollment.events.append(LearnerEnrolled(enrollment_id, course_id, user_id, now))
        return enrollment

    @property
    def active(self) -> bool:
        return self.cancelled_at is None

    def cancel(self, *, now: datetime) -> None:
        if self.active:
            self.cancelled_at = now
            self.events.append(LearnerUnenrolled(self.id, self.course_id, self.user_id, now))

    def reactivate(self, *, now: datetime) -> bool:
        """Returns True when the enrollment was cancelled and is active again."""
        if self.active:
            return False
        self.cancelled_at = None
        self.enrolled_at = now
        self.events.append(LearnerEnrolled(self.id, self.course_id, self.user_id, now))
        return True
