"""Lesson content documents in the context's SQL database, for deployments without
MongoDB (the embedded profile): one JSON document per lesson, replaced whole on write.

Like the MongoDB store, a write is durable on its own (its own short transaction), not
part of the calling use case's unit of work."""

from __future__ import annotations

import msgspec
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.courses.adapters.sql.tables import lesson_content
from cmh.courses.application.ports import LessonContent

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(LessonContent)


class SqlLessonContentStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, course_id: str, lesson_id: str) -> LessonContent | None:
        async with self._sessions() as session:
            document = await session.scalar(
                select(lesson_content.c.document).where(
                    lesson_content.c.course_id == course_id,
                    lesson_content.c.lesson_id == lesson_id,
                )
            )
        return _decoder.decode(document) if document is not None else None

    async def put(self, content: LessonContent) -> None:
        key = (
            lesson_content.c.course_id == content.course_id,
            lesson_content.c.lesson_id == content.lesson_id,
        )
        async with self._sessions() as session, session.begin():
            await session.execute(delete(lesson_content).where(*key))
            await session.execute(
                insert(lesson_content).values(
                    course_id=content.course_id,
                    lesson_id=content.lesson_id,
                    document=_encoder.encode(content),
                )
            )
