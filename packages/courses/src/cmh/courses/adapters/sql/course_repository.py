"""Courses as rows: one course row, its module rows, its lesson rows (rewritten on save)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.courses.adapters.sql.tables import courses, lessons, modules
from cmh.courses.domain.course import Course, Lesson, Module
from cmh.courses.domain.values import CloudProvider, CourseStatus, LessonKind, Level
from cmh.kernel.errors import Conflict
from cmh.kernel.uow import UnitOfWork


def _course_values(course: Course) -> dict[str, Any]:
    return {
        "owner_id": course.owner_id,
        "title": course.title,
        "summary": course.summary,
        "provider": course.provider.value,
        "level": course.level.value,
        "tags": list(course.tags),
        "prerequisites": list(course.prerequisites),
        "status": course.status.value,
        "created_at": course.created_at,
        "updated_at": course.updated_at,
        "published_at": course.published_at,
        "archived_at": course.archived_at,
    }


class SqlCourseRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow  # collects what saved aggregates recorded, for the outbox

    async def get(self, course_id: str) -> Course | None:
        found = await self._load(select(courses).where(courses.c.id == course_id))
        return found[0] if found else None

    async def get_many(self, course_ids: list[str]) -> list[Course]:
        if not course_ids:
            return []
        return await self._load(select(courses).where(courses.c.id.in_(set(course_ids))))

    async def list_published(self) -> list[Course]:
        return await self._load(
            select(courses)
            .where(courses.c.status == CourseStatus.PUBLISHED.value)
            .order_by(courses.c.id)
        )

    async def list_owned_by(self, owner_id: str) -> list[Course]:
        return await self._load(
            select(courses)
            .where(courses.c.owner_id == owner_id)
            .order_by(courses.c.updated_at.desc(), courses.c.id)
        )

    async def add(self, course: Course) -> None:
        self._uow.track(course)
        try:
            await self._session.execute(
                insert(courses).values(id=course.id, version=1, **_course_values(course))
            )
        except IntegrityError as exc:
            raise Conflict(f"course {course.id} exists", code="course_exists") from exc
        course.version = 1
        await self._write_outline(course)

    async def save(self, course: Course) -> None:
        self._uow.track(course)
        result = await self._session.execute(
            update(courses)
            .where(courses.c.id == course.id, courses.c.version == course.version)
            .values(version=course.version + 1, **_course_values(course))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"course {course.id} changed meanwhile; retry", code="concurrent_update")
        course.version += 1
        await self._session.execute(delete(lessons).where(lessons.c.course_id == course.id))
        await self._session.execute(delete(modules).where(modules.c.course_id == course.id))
        await self._write_outline(course)

    async def _write_outline(self, course: Course) -> None:
        module_rows = [
            {"id": m.id, "course_id": course.id, "position": i, "title": m.title}
            for i, m in enumerate(course.modules)
        ]
        lesson_rows = [
            {
                "id": lesson.id,
                "module_id": m.id,
                "course_id": course.id,
                "position": i,
                "title": lesson.title,
                "kind": lesson.kind.value,
                "required": lesson.required,
                "duration_minutes": lesson.duration_minutes,
                "asset_id": lesson.asset_id,
            }
            for m in course.modules
            for i, lesson in enumerate(m.lessons)
        ]
        if module_rows:
            await self._session.execute(insert(modules), module_rows)
        if lesson_rows:
            await self._session.execute(insert(lessons), lesson_rows)

    async def _load(self, query: Any) -> list[Course]:
        course_rows = (await self._session.execute(query)).all()
        if not course_rows:
            return []
        ids = [row.id for row in course_rows]
        module_rows = (
            await self._session.execute(
                select(modules).where(modules.c.course_id.in_(ids)).order_by(modules.c.position)
            )
        ).all()
        lesson_rows = (
            await self._session.execute(
                select(lessons).where(lessons.c.course_id.in_(ids)).order_by(lessons.c.position)
            )
        ).all()
        lessons_by_module: dict[str, list[Lesson]] = defaultdict(list)
        for row in lesson_rows:
            lessons_by_module[row.module_id].append(
                Lesson(
                    row.id,
                    row.title,
                    LessonKind(row.kind),
                    row.required,
                    row.duration_minutes,
                    row.asset_id,
                )
            )
        modules_by_course: dict[str, list[Module]] = defaultdict(list)
        for row in module_rows:
            modules_by_course[row.course_id].append(
                Module(row.id, row.title, lessons_by_module[row.id])
            )
        return [_course(row, modules_by_course[row.id]) for row in course_rows]


def _course(row: Row[Any], outline: Sequence[Module]) -> Course:
    return Course(
        id=row.id,
        owner_id=row.owner_id,
        title=row.title,
        summary=row.summary,
        provider=CloudProvider(row.provider),
        level=Level(row.level),
        tags=tuple(row.tags),
        prerequisites=tuple(row.prerequisites),
        status=CourseStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        published_at=row.published_at,
        archived_at=row.archived_at,
        modules=list(outline),
        version=row.version,
    )
