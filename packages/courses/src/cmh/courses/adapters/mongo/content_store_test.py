"""The LessonContentStore contract against memory, SQLite (the embedded profile's store)
and a real MongoDB-protocol server."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from cmh.courses.adapters.memory.services import MemoryLessonContentStore
from cmh.courses.adapters.mongo.content_store import MongoLessonContentStore
from cmh.courses.adapters.sql.lesson_content import SqlLessonContentStore
from cmh.courses.adapters.sql.migrations import COURSES_MIGRATIONS
from cmh.courses.application.ports import (
    Attachment,
    ContentBlock,
    LessonContent,
    LessonContentStore,
)
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh_testing.kernel.servers import mongo_url


@pytest.fixture(params=["memory", "sqlite", pytest.param("mongo", marks=pytest.mark.integration)])
async def store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[LessonContentStore]:
    if request.param == "memory":
        yield MemoryLessonContentStore()
        return
    if request.param == "sqlite":
        engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/content.db"))
        await upgrade(engine, [KERNEL_MIGRATIONS, COURSES_MIGRATIONS])
        try:
            yield SqlLessonContentStore(make_session_factory(engine))
        finally:
            await engine.dispose()
        return
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url(), tz_aware=True)
    name = f"cmh_t_{secrets.token_hex(6)}"
    try:
        yield MongoLessonContentStore(client[name])
    finally:
        await client.drop_database(name)
        await client.close()


def content(text: str) -> LessonContent:
    return LessonContent(
        course_id="c-1",
        lesson_id="l-1",
        blocks=[
            ContentBlock(kind="heading", text="VPC basics"),
            ContentBlock(kind="code", text=text, language="hcl"),
        ],
        attachments=[Attachment(name="diagram.png", url="https://cdn.test/d.png", size_bytes=1234)],
        lab_ref="lab-vpc-1",
        updated_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        updated_by="teacher",
    )


async def test_a_document_round_trips_and_is_replaced_whole(store: LessonContentStore) -> None:
    assert await store.get("c-1", "l-1") is None
    await store.put(content('resource "aws_vpc" "main" {}'))
    assert await store.get("c-1", "l-1") == content('resource "aws_vpc" "main" {}')
    await store.put(content("changed"))
    stored = await store.get("c-1", "l-1")
    assert stored is not None
    assert stored.blocks[1].text == "changed"
    assert await store.get("c-1", "l-2") is None
