"""The LessonContentStore contract against memory and a real MongoDB-protocol server."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from cmh.courses.adapters.memory.services import MemoryLessonContentStore
from cmh.courses.adapters.mongo.content_store import MongoLessonContentStore
from cmh.courses.application.ports import (
    Attachment,
    ContentBlock,
    LessonContent,
    LessonContentStore,
)
from cmh.courses.testing_servers import server_url


@pytest.fixture(params=["memory", pytest.param("mongo", marks=pytest.mark.integration)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[LessonContentStore]:
    if request.param == "memory":
        yield MemoryLessonContentStore()
        return
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        server_url("CMH_TEST_MONGO_URL"), tz_aware=True
    )
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
