from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings
from cmh.users.adapters.argon2_hasher import Argon2Parameters
from cmh.users.di import UsersSecurityProvider


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    """The embedded platform exactly as `make run` builds it, on a fresh data folder."""
    # Only the password hashing cost differs: argon2's production parameters are slow by design.
    app = create_app(
        PlatformSettings(data_dir=str(tmp_path)),
        UsersSecurityProvider(Argon2Parameters.for_tests()),
    )
    async with AsyncTestClient(app) as client:
        yield client
