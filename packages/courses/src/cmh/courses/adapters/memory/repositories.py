"""In-memory repositories that keep state like a database would: they store copies, so a
caller mutating an aggregate after ``save`` changes nothing until the next ``save``, and
their writes are staged in the unit of work's transaction (``MemoryTable``): read back by
it, kept only when it commits. ``rows`` is what has been committed."""

from __future__ import annotations

import copy
from typing import TypeVar

from cmh.courses.domain.course import Course
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.progress import CourseProgress
from cmh.courses.domain.values import CourseStatus
from cmh.kernel.domain_events import RecordsEvents
from cmh.kernel.errors import Conflict
from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork

A = TypeVar("A", bound=RecordsEvents)


def _kept(uow: InMemoryUnitOfWork, aggregate: A) -> A:
    """Hand ``aggregate`` to the unit of work (its recorded events leave with the commit)
    and return the row to store: a copy holding state, not news."""
    uow.track(aggregate)
    row = copy.deepcopy(aggregate)
    row.events.clear()
    return row


class MemoryCourseRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: MemoryTable[str, Course] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, Course]:
        return self._table.committed

    async def get(self, course_id: str) -> Course | None:
        found = self._table.get(course_id)
        return copy.deepcopy(found) if found else None

    async def add(self, course: Course) -> None:
        if course.id in self._table:
            raise Conflict(f"course {course.id} exists", code="course_exists")
        course.version = 1
        self._table.put(course.id, _kept(self._uow, course))

    async def save(self, course: Course) -> None:
        stored = self._table.get(course.id)
        if stored is None or stored.version != course.version:
            raise Conflict(f"course {course.id} changed meanwhile; retry", code="concurrent_update")
        course.version += 1
        self._table.put(course.id, _kept(self._uow, course))

    async def get_many(self, course_ids: list[str]) -> list[Course]:
        found = (self._table.get(i) for i in dict.fromkeys(course_ids))
        return [copy.deepcopy(course) for course in found if course is not None]

    async def list_published(self) -> list[Course]:
        published = [c for c in self._table.values() if c.status is CourseStatus.PUBLISHED]
        return [copy.deepcopy(c) for c in sorted(published, key=lambda c: c.id)]

    async def list_owned_by(self, owner_id: str) -> list[Course]:
        owned = sorted(
            (c for c in self._table.values() if c.owner_id == owner_id), key=lambda c: c.id
        )
        owned.sort(key=lambda c: c.updated_at, reverse=True)
        return [copy.deepcopy(c) for c in owned]


class MemoryEnrollmentRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: MemoryTable[tuple[str, str], Enrollment] = MemoryTable(uow)

    @property
    def rows(self) -> dict[tuple[str, str], Enrollment]:
        return self._table.committed

    async def get(self, user_id: str, course_id: str) -> Enrollment | None:
        found = self._table.get((user_id, course_id))
        return copy.deepcopy(found) if found else None

    async def add(self, enrollment: Enrollment) -> None:
        key = (enrollment.user_id, enrollment.course_id)
        if key in self._table:
            raise Conflict("already enrolled", code="already_enrolled")
        self._table.put(key, _kept(self._uow, enrollment))

    async def save(self, enrollment: Enrollment) -> None:
        # Like the SQL repository: what the change recorded leaves with the commit.
        self._table.put((enrollment.user_id, enrollment.course_id), _kept(self._uow, enrollment))

    async def list_for_user(self, user_id: str) -> list[Enrollment]:
        return [copy.deepcopy(e) for (u, _), e in self._table.items() if u == user_id]

    async def delete_for_user(self, user_id: str) -> int:
        doomed = [key for key in self._table if key[0] == user_id]
        for key in doomed:
            self._table.delete(key)
        return len(doomed)


class MemoryProgressRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: MemoryTable[tuple[str, str], CourseProgress] = MemoryTable(uow)

    @property
    def rows(self) -> dict[tuple[str, str], CourseProgress]:
        return self._table.committed

    async def get(self, user_id: str, course_id: str) -> CourseProgress | None:
        found = self._table.get((user_id, course_id))
        return copy.deepcopy(found) if found else None

    async def add(self, progress: CourseProgress) -> None:
        key = (progress.user_id, progress.course_id)
        if key in self._table:
            raise Conflict("progress exists", code="progress_exists")
        progress.version = 1
        self._table.put(key, _kept(self._uow, progress))

    async def save(self, progress: CourseProgress) -> None:
        key = (progress.user_id, progress.course_id)
        stored = self._table.get(key)
        if stored is None or stored.version != progress.version:
            raise Conflict("progress changed meanwhile; retry", code="concurrent_update")
        progress.version += 1
        self._table.put(key, _kept(self._uow, progress))

    async def list_for_user(self, user_id: str) -> list[CourseProgress]:
        return [copy.deepcopy(p) for (u, _), p in self._table.items() if u == user_id]

    async def delete_for_user(self, user_id: str) -> int:
        doomed = [key for key in self._table if key[0] == user_id]
        for key in doomed:
            self._table.delete(key)
        return len(doomed)
