"""Keeps the search index in step with a course: indexed while published, removed otherwise.

It reads the course's current state rather than trusting the event, so events arriving
late or twice leave the index right.
"""

from __future__ import annotations

from cmh.courses.application.ports import CatalogCache, CourseRepository, CourseSearch
from cmh.courses.application.views import course_document
from cmh.kernel.uow import UnitOfWork


class SyncSearchIndex:
    def __init__(
        self, courses: CourseRepository, search: CourseSearch, cache: CatalogCache, uow: UnitOfWork
    ) -> None:
        self._courses = courses
        self._search = search
        self._cache = cache
        self._uow = uow

    async def execute(self, course_id: str) -> None:
        async with self._uow:
            course = await self._courses.get(course_id)
            if course is not None and course.is_published:
                await self._search.index(course_document(course))
            else:
                await self._search.remove(course_id)
            await self._uow.commit()
        await self._cache.invalidate(course_id)
