"""Notifications' administrators port: the HTTP adapter against the real users app
(``GET /internal/v1/users/administrators`` with notifications' client credentials) and
the memory stand-in answer alike: every active administrator with their address, nobody
else; a users that does not answer is ``DependencyUnavailable``."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import msgspec
import pytest

from cmh.kernel.errors import DependencyUnavailable
from cmh.notifications.adapters.memory.services import MemoryAdministrators
from cmh.notifications.adapters.users.administrators import HttpAdministrators
from cmh.notifications.adapters.users.settings import UsersClientSettings
from cmh.notifications.application.ports import Administrators, Recipient
from cmh_testing.users.app import TEST_USERS_SETTINGS
from cmh_testing.users.http import users_api

SECRET = "notifications-client-secret"


async def answers_like_users(admins: Administrators, root_id: str) -> None:
    found = await admins.all()
    assert [(a.user_id, a.email, a.display_name) for a in found] == [
        (root_id, "root@example.com", "Root")
    ]


async def test_the_http_adapter_lists_the_active_administrators(tmp_path: Path) -> None:
    settings = msgspec.structs.replace(
        TEST_USERS_SETTINGS,
        service_clients={"notifications": hashlib.sha256(SECRET.encode()).hexdigest()},
    )
    async with users_api(
        f"sqlite+aiosqlite:///{tmp_path / 'users.db'}", users_settings=settings
    ) as users:
        await users.learner()  # a learner is no administrator
        root_id, _ = await users.admin()
        transport = httpx.ASGITransport(app=users.app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://users") as http:
            client = HttpAdministrators(
                http, UsersClientSettings(url="http://users", client_secret=SECRET, attempts=1)
            )
            await answers_like_users(client, root_id)
            wrong = HttpAdministrators(
                http, UsersClientSettings(url="http://users", client_secret="wrong", attempts=1)
            )
            with pytest.raises(DependencyUnavailable):
                await wrong.all()


async def test_the_memory_stand_in_answers_the_same_way() -> None:
    stand_in = MemoryAdministrators()
    stand_in.administrators = [
        Recipient(user_id="r1", email="root@example.com", display_name="Root")
    ]
    await answers_like_users(stand_in, "r1")
    stand_in.down = True
    with pytest.raises(DependencyUnavailable):
        await stand_in.all()


async def test_an_unreachable_users_is_a_dependency_failure() -> None:
    async with httpx.AsyncClient(base_url="http://127.0.0.1:9") as http:
        client = HttpAdministrators(
            http, UsersClientSettings(url="http://127.0.0.1:9", client_secret=SECRET, attempts=1)
        )
        with pytest.raises(DependencyUnavailable):
            await client.all()
