"""Stand-ins for the services analytics asks (courses, users) and for Mixpanel."""

from __future__ import annotations

from cmh.analytics.application.ports import CourseOwnership, TrackedEvent


class MemoryCourseDirectory:
    """Courses and their owners, as a test or the demo arranges them."""

    def __init__(self) -> None:
        self._courses: dict[str, CourseOwnership] = {}

    def add_course(self, course_id: str, *, owner_id: str, title: str) -> None:
        self._courses[course_id] = CourseOwnership(
            course_id=course_id, title=title, owner_id=owner_id
        )

    async def ownership(self, course_id: str, user_id: str) -> CourseOwnership | None:
        return self._courses.get(course_id)


class MemoryLearnerProfiles:
    def __init__(self) -> None:
        self._interests: dict[str, tuple[str, ...]] = {}

    def set_interests(self, user_id: str, *interests: str) -> None:
        self._interests[user_id] = tuple(i.lower() for i in interests)

    async def interests(self, user_id: str) -> tuple[str, ...]:
        return self._interests.get(user_id, ())


class KeptProductAnalytics:
    """Product analytics kept in memory (the embedded profile sends nothing anywhere)."""

    def __init__(self) -> None:
        self.forwarded: list[TrackedEvent] = []

    async def forward(self, event: TrackedEvent) -> None:
        self.forwarded.append(event)


class NoProductAnalytics:
    """No product analytics configured: nothing leaves the platform."""

    async def forward(self, event: TrackedEvent) -> None:
        return None
