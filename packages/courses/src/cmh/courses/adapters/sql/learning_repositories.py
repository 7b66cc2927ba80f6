"""Enrollments and progress as rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.courses.adapters.sql.tables import enrollments, progress
from cmh.courses.domain.enrollment import Enrollment
from cmh.courses.domain.progress import CourseProgress
from cmh.kernel.errors import Conflict
from cmh.kernel.uow import UnitOfWork


def _enrollment(row: Row[Any]) -> Enrollment:
    return Enrollment(row.id, row.user_id, row.course_id, row.enrolled_at, row.cancelled_at)


class SqlEnrollmentRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow  # collects what saved aggregates recorded, for the outbox

    async def get(self, user_id: str, course_id: str) -> Enrollment | None:
        row = (
            await self._session.execute(
                select(enrollments).where(
                    enrollments.c.user_id == user_id, enrollments.c.course_id == course_id
                )
            )
        ).first()
        return _enrollment(row) if row else None

    async def add(self, enrollment: Enrollment) -> None:
        self._uow.track(enrollment)
        try:
            await self._session.execute(
                insert(enrollments).values(
                    id=enrollment.id,
                    user_id=enrollment.user_id,
                    course_id=enrollment.course_id,
                    enrolled_at=enrollment.enrolled_at,
                    cancelled_at=enrollment.cancelled_at,
                )
            )
        except IntegrityError as exc:
            raise Conflict("already enrolled; retry", code="already_enrolled") from exc

    async def save(self, enrollment: Enrollment) -> None:
        self._uow.track(enrollment)
        await self._session.execute(
            update(enrollments)
            .where(enrollments.c.id == enrollment.id)
            .values(enrolled_at=enrollment.enrolled_at, cancelled_at=enrollment.cancelled_at)
        )

    async def list_for_user(self, user_id: str) -> list[Enrollment]:
        rows = (
            await self._session.execute(select(enrollments).where(enrollments.c.user_id == user_id))
        ).all()
        return [_enrollment(row) for row in rows]

    async def delete_for_user(self, user_id: str) -> int:
        result = await self._session.execute(
            delete(enrollments).where(enrollments.c.user_id == user_id)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


def _progress_values(item: CourseProgress) -> dict[str, Any]:
    return {
        "completed": {lesson: at.isoformat() for lesson, at in item.completed.items()},
        "positions": dict(item.positions),
        "completed_at": item.completed_at,
        "updated_at": item.updated_at,
    }


def _progress(row: Row[Any]) -> CourseProgress:
    return CourseProgress(
        user_id=row.user_id,
        course_id=row.course_id,
        updated_at=row.updated_at,
        completed={lesson: datetime.fromisoformat(at) for lesson, at in row.completed.items()},
        positions={lesson: int(seconds) for lesson, seconds in row.positions.items()},
        completed_at=row.completed_at,
        version=row.version,
    )


class SqlProgressRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow  # collects what saved aggregates recorded, for the outbox

    async def get(self, user_id: str, course_id: str) -> CourseProgress | None:
        row = (
            await self._session.execute(
                select(progress).where(
                    progress.c.user_id == user_id, progress.c.course_id == course_id
                )
            )
        ).first()
        return _progress(row) if row else None

    async def add(self, item: CourseProgress) -> None:
        self._uow.track(item)
        try:
            await self._session.execute(
                insert(progress).values(
                    user_id=item.user_id,
                    course_id=item.course_id,
                    version=1,
                    **_progress_values(item),
                )
            )
        except IntegrityError as exc:
            raise Conflict("progress exists; retry", code="progress_exists") from exc
        item.version = 1

    async def save(self, item: CourseProgress) -> None:
        self._uow.track(item)
        # The version check is what keeps course.completed single under concurrent calls.
        result = await self._session.execute(
            update(progress)
            .where(
                progress.c.user_id == item.user_id,
                progress.c.course_id == item.course_id,
                progress.c.version == item.version,
            )
            .values(version=item.version + 1, **_progress_values(item))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("progress changed meanwhile; retry", code="concurrent_update")
        item.version += 1

    async def list_for_user(self, user_id: str) -> list[CourseProgress]:
        rows = (
            await self._session.execute(select(progress).where(progress.c.user_id == user_id))
        ).all()
        return [_progress(row) for row in rows]

    async def delete_for_user(self, user_id: str) -> int:
        result = await self._session.execute(delete(progress).where(progress.c.user_id == user_id))
        return int(result.rowcount)  # type: ignore[attr-defined]
