"""The owning instructor or an admin appends a module to a course's outline."""

from __future__ import annotations

from cmh.courses.application.access import managed_course
from cmh.courses.application.course_changes import save_course_change
from cmh.courses.application.ports import CatalogCache, CourseRepository
from cmh.courses.application.views import ModuleView, module_view
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.uow import UnitOfWork


class AddModule:
    def __init__(
        self,
        courses: CourseRepository,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
        cache: CatalogCache,
    ) -> None:
        self._courses = courses
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._cache = cache

    async def execute(self, principal: Principal, course_id: str, title: str) -> ModuleView:
        async with self._uow:
            course = await managed_course(self._courses, course_id, principal)
            module = course.add_module(self._ids.new_id(), title=title, now=self._clock.now())
            await save_course_change(course, self._courses, self._uow, self._cache)
        return module_view(module)
