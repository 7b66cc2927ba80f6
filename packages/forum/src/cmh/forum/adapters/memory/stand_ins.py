"""Stand-ins for the other contexts the forum asks (unit tests, the memory profile):
course roles and the user directory, filled by the caller."""

from __future__ import annotations

from cmh.forum.application.ports import CourseRole


class MemoryCourseMembers:
    def __init__(self) -> None:
        self.roles: dict[tuple[str, str], CourseRole] = {}

    def enroll(self, course_id: str, user_id: str) -> None:
        self.roles[(course_id, user_id)] = CourseRole(enrolled=True, instructor=False)

    def teach(self, course_id: str, user_id: str) -> None:
        self.roles[(course_id, user_id)] = CourseRole(enrolled=False, instructor=True)

    async def role(self, course_id: str, user_id: str) -> CourseRole | None:
        return self.roles.get((course_id, user_id))


class MemoryUserDirectory:
    """The handles a test arranges (``handles``: handle to user id); any other names nobody."""

    def __init__(self, handles: dict[str, str] | None = None) -> None:
        self.handles = dict(handles or {})

    async def resolve_handles(self, handles: tuple[str, ...]) -> dict[str, str]:
        return {h: self.handles[h] for h in handles if h in self.handles}
