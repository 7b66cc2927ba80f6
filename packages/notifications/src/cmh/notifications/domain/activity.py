"""A learner's last activity in a course, kept from courses' events, for course reminders:
after ``after`` without activity a learner is reminded once per quiet spell (the spell is
named by its last activity, so learning again and stopping again earns a new reminder); a
completed course is never reminded of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class LearningActivity:
    user_id: str
    course_id: str
    last_active_at: datetime
    completed: bool = False
    reminded_for: datetime | None = None  # the last activity a reminder was sent after

    def touch(self, at: datetime) -> None:
        """Events may arrive out of order: the latest activity wins."""
        self.last_active_at = max(self.last_active_at, at)

    def complete(self, at: datetime) -> None:
        self.touch(at)
        self.completed = True

    def due_for_reminder(self, now: datetime, after: timedelta) -> bool:
        return (
            not self.completed
            and now - self.last_active_at >= after
            and self.reminded_for != self.last_active_at
        )

    def reminded(self) -> None:
        self.reminded_for = self.last_active_at

    @property
    def spell(self) -> str:
        """Names this quiet spell: the reminder's dedupe source."""
        return f"reminder:{self.user_id}:{self.course_id}:{self.last_active_at.isoformat()}"
