"""``UsersApi``: an ``AsyncTestClient`` on the Users app plus the handles a test needs
(clock, recorded mail, container) and shortcuts for the common journeys."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from dishka import AsyncContainer
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.clock import FrozenClock
from cmh.kernel.web.problems import PROBLEM_JSON
from cmh.users.adapters.mailer import RecordingMailer
from cmh.users.application.ensure_admin import EnsureAdmin
from cmh_testing.users.app import build_users_test_app, service_token

PASSWORD = "Analytical-Engine-1843"  # noqa: S105 - the test accounts' password


@dataclass
class UsersApi:
    client: AsyncTestClient[Litestar]
    app: Litestar
    clock: FrozenClock
    mailer: RecordingMailer

    @property
    def container(self) -> AsyncContainer:
        container: AsyncContainer = self.app.state.dishka_container
        return container

    async def register(
        self,
        email: str = "ada@example.com",
        password: str = PASSWORD,
        display_name: str = "Ada Lovelace",
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/auth/register",
            json={"email": email, "password": password, "display_name": display_name},
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def log_in(
        self, email: str = "ada@example.com", password: str = PASSWORD
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def learner(self, email: str = "ada@example.com") -> tuple[str, dict[str, str]]:
        """Register and log in; returns the user id and its Authorization header."""
        user = await self.register(email=email)
        tokens = await self.log_in(email=email)
        return user["id"], bearer(tokens["access_token"])

    async def admin(self, email: str = "root@example.com") -> tuple[str, dict[str, str]]:
        async with self.container() as request:
            ensure_admin = await request.get(EnsureAdmin)
            user = await ensure_admin.execute(email=email, password=PASSWORD, display_name="Root")
        tokens = await self.log_in(email=email)
        return user.id, bearer(tokens["access_token"])

    async def service(self, name: str = "payments") -> dict[str, str]:
        return bearer(await service_token(self.container, name, now=self.clock.now()))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(
    response: httpx.Response, status: int, code: str, field: str | None = None
) -> dict[str, Any]:
    """Every error is RFC 9457 problem details with a stable ``code`` (and the field)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    if field is not None:
        assert field in {error.get("field") for error in body.get("errors", [])}, body
    return body


@contextlib.asynccontextmanager
async def users_api(database_url: str, **options: Any) -> AsyncIterator[UsersApi]:
    clock = FrozenClock()
    mailer = RecordingMailer()
    app = build_users_test_app(database_url, clock=clock, mailer=mailer, **options)
    async with AsyncTestClient(app) as client:
        yield UsersApi(client=client, app=app, clock=clock, mailer=mailer)
