"""A learner's dashboard: who they are and how far they got in each course."""

from __future__ import annotations

import msgspec


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    display_name: str
    roles: list[str]
    tier: str


class EnrollmentProgress(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    course_title: str
    enrolled_at: str
    percentage: int
    completed: bool


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    profile: Profile
    enrollments: list[EnrollmentProgress]

    @property
    def courses_completed(self) -> int:
        return sum(1 for enrollment in self.enrollments if enrollment.completed)
