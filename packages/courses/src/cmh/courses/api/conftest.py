from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from cmh_testing.courses import CoursesTestApp, build_courses_test_app


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[CoursesTestApp]:
    harness = await build_courses_test_app(tmp_path)
    yield harness
    await harness.container.close()


@pytest.fixture
async def client(harness: CoursesTestApp) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(harness.app) as client:
        yield client
