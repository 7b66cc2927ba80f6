"""The Forum API over the module's EMBEDDED composition (its SQL outbox in a SQLite file,
the courses stand-in), with a frozen clock and tokens signed by a test key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.contracts.events.courses import CoursePublishedV1
from cmh.kernel.clock import FrozenClock
from cmh_testing.forum import ForumTestApp, build_forum_test_app, delivered

Client = AsyncTestClient[Litestar]
COURSE = "course-aws"
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
async def forum(tmp_path: Path) -> AsyncIterator[ForumTestApp]:
    built = await build_forum_test_app(tmp_path, FrozenClock(NOW))
    members = await built.members()
    members.enroll(COURSE, "ada")
    members.enroll(COURSE, "bob")
    members.teach(COURSE, "teacher")
    (await built.directory()).handles.update({"bob": "bob", "teacher": "teacher"})
    published = CoursePublishedV1(
        course_id=COURSE,
        owner_id="teacher",
        title="AWS Basics",
        provider="aws",
        level="beginner",
        tags=["aws"],
        published_at=NOW,
    )
    await delivered(built.container, published, "published-1")
    await delivered(built.container, published, "published-1")
    yield built
    await built.container.close()


@pytest.fixture
async def client(forum: ForumTestApp) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=forum.app) as c:
        yield c
