"""Rebuilds the search index from the published courses (an empty in-memory index at
start, a new Elasticsearch index); answers how many it indexed."""

from __future__ import annotations

from cmh.courses.application.ports import CourseRepository, CourseSearch
from cmh.courses.application.views import course_document


class ReindexCatalog:
    def __init__(self, courses: CourseRepository, search: CourseSearch) -> None:
        self._courses = courses
        self._search = search

    async def execute(self) -> int:
        published = await self._courses.list_published()
        await self._search.index_all([course_document(course) for course in published])
        return len(published)
