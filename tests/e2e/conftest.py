from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings
from cmh_testing.users.app import CHEAP_HASHING


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """The embedded platform exactly as `make run` builds it, on a fresh data folder."""
    # Only the password hashing cost differs: argon2's production parameters are slow by design.
    app = create_app(
        PlatformSettings(data_dir=str(tmp_path)),
        CHEAP_HASHING,
    )
    async with AsyncTestClient(app) as client:
        yield client
