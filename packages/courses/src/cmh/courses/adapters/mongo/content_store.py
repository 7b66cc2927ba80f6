"""Lesson content documents in MongoDB (FerretDB in development): one document per lesson,
replaced whole on write, so no multi-document transaction is ever needed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from bson.codec_options import CodecOptions
from pymongo.asynchronous.database import AsyncDatabase

from cmh.courses.application.ports import LessonContent

COLLECTION = "courses_lesson_content"


def _key(course_id: str, lesson_id: str) -> str:
    return f"{course_id}:{lesson_id}"


class MongoLessonContentStore:
    def __init__(self, database: AsyncDatabase[dict[str, Any]]) -> None:
        # tz_aware: stored dates come back as UTC datetimes, not naive ones.
        self._documents = database.get_collection(
            COLLECTION, codec_options=CodecOptions(tz_aware=True)
        )

    async def get(self, course_id: str, lesson_id: str) -> LessonContent | None:
        document = await self._documents.find_one({"_id": _key(course_id, lesson_id)})
        if document is None:
            return None
        document.pop("_id")
        return msgspec.convert(document, LessonContent)

    async def put(self, content: LessonContent) -> None:
        document = msgspec.to_builtins(content, builtin_types=(datetime,))
        await self._documents.replace_one(
            {"_id": _key(content.course_id, content.lesson_id)}, document, upsert=True
        )
