"""Keeps the search index in step with a course: indexed while published, removed otherwise.

It reads the course's current state rather than trusting the event, so events arriving
late or twice leave the index right; a batch names each course once however many of its
events it carries (an author's edits and the publish that followed).
"""

from __future__ import annotations

from collections.abc import Sequence

from cmh.courses.application.ports import (
    CatalogCache,
    CourseDocument,
    CourseRepository,
    CourseSearch,
)
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

    async def execute(self, course_ids: Sequence[str]) -> None:
        distinct = list(dict.fromkeys(course_ids))
        async with self._uow:
            published: list[CourseDocument] = []
            for course_id in distinct:
                course = await self._courses.get(course_id)
                if course is not None and course.is_published:
                    published.append(course_document(course))
                else:
                    await self._search.remove(course_id)
            await self._search.index_all(published)  # one bulk request for the batch
            await self._uow.commit()
        for course_id in distinct:
            await self._cache.invalidate(course_id)
