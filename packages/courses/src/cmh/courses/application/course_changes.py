"""Storing a changed course: the change, a ``course.updated`` event and a cache drop,
shared by every authoring use case."""

from __future__ import annotations

from cmh.courses.application.ports import CatalogCache, CourseRepository
from cmh.courses.domain.course import Course
from cmh.kernel.uow import UnitOfWork


async def save_course_change(
    course: Course, courses: CourseRepository, uow: UnitOfWork, cache: CatalogCache
) -> None:
    await courses.save(course)
    await uow.commit()
    await cache.invalidate(course.id)
