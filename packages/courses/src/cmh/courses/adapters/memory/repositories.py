"""In-memory repositories that keep state like a database would: they store copies, so a
caller mutating an aggregate after ``save`` changes nothing until the next ``save``."""

from __future__ import annotations

import copy

from cmh.courses.domain.course import Course
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.progress import CourseProgress
from cmh.courses.domain.values import CourseStatus
from cmh.kernel.errors import Conflict


class MemoryCourseRepository:
    def __init__(self) -> None:
        self.rows: dict[str, Course] = {}

    async def get(self, course_id: str) -> Course | None:
        found = self.rows.get(course_id)
        return copy.deepcopy(found) if found else None

    async def add(self, course: Course) -> None:
        if course.id in self.rows:
            raise Conflict(f"course {course.id} exists", code="course_exists")
        course.version = 1
        self.rows[course.id] = copy.deepcopy(course)

    async def save(self, course: Course) -> None:
        stored = self.rows.get(course.id)
        if stored is None or stored.version != course.version:
            raise Conflict(f"course {course.id} changed meanwhile; retry", code="concurrent_update")
        course.version += 1
        self.rows[course.id] = copy.deepcopy(course)

    async def get_many(self, course_ids: list[str]) -> list[Course]:
        return [copy.deepcopy(self.rows[i]) for i in dict.fromkeys(course_ids) if i in self.rows]

    async def list_published(self) -> list[Course]:
        published = [c for c in self.rows.values() if c.status is CourseStatus.PUBLISHED]
        return [copy.deepcopy(c) for c in sorted(published, key=lambda c: c.id)]


class MemoryEnrollmentRepository:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Enrollment] = {}

    async def get(self, user_id: str, course_id: str) -> Enrollment | None:
        found = self.rows.get((user_id, course_id))
        return copy.deepcopy(found) if found else None

    async def add(self, enrollment: Enrollment) -> None:
        key = (enrollment.user_id, enrollment.course_id)
        if key in self.rows:
            raise Conflict("already enrolled", code="already_enrolled")
        self.rows[key] = copy.deepcopy(enrollment)

    async def save(self, enrollment: Enrollment) -> None:
        self.rows[(enrollment.user_id, enrollment.course_id)] = copy.deepcopy(enrollment)

    async def list_for_user(self, user_id: str) -> list[Enrollment]:
        return [copy.deepcopy(e) for (u, _), e in self.rows.items() if u == user_id]

    async def delete_for_user(self, user_id: str) -> int:
        doomed = [key for key in self.rows if key[0] == user_id]
        for key in doomed:
            del self.rows[key]
        return len(doomed)


class MemoryProgressRepository:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], CourseProgress] = {}

    async def get(self, user_id: str, course_id: str) -> CourseProgress | None:
        found = self.rows.get((user_id, course_id))
        return copy.deepcopy(found) if found else None

    async def add(self, progress: CourseProgress) -> None:
        key = (progress.user_id, progress.course_id)
        if key in self.rows:
            raise Conflict("progress exists", code="progress_exists")
        progress.version = 1
        self.rows[key] = copy.deepcopy(progress)

    async def save(self, progress: CourseProgress) -> None:
        key = (progress.user_id, progress.course_id)
        stored = self.rows.get(key)
        if stored is None or stored.version != progress.version:
            raise Conflict("progress changed meanwhile; retry", code="concurrent_update")
        progress.version += 1
        self.rows[key] = copy.deepcopy(progress)

    async def list_for_user(self, user_id: str) -> list[CourseProgress]:
        return [copy.deepcopy(p) for (u, _), p in self.rows.items() if u == user_id]

    async def delete_for_user(self, user_id: str) -> int:
        doomed = [key for key in self.rows if key[0] == user_id]
        for key in doomed:
            del self.rows[key]
        return len(doomed)
