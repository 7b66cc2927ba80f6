"""The Courses API wired for tests: kernel + courses providers over a temporary SQLite
file, the in-process bus and in-memory search, content, users and content-service fakes.

    harness = await build_courses_test_app(tmp_path)
    async with AsyncTestClient(harness.app) as client:
        await client.post(..., headers=harness.auth(INSTRUCTOR))
        await harness.drain()   # deliver recorded events (search index, consumers)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dishka import AsyncContainer, Provider
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.courses.adapters.memory.services import (
    MemoryEntitlements,
    MemoryLabs,
    MemoryMediaLibrary,
    MemoryPlayback,
)
from cmh.courses.adapters.search.memory import MemoryCourseSearch
from cmh.courses.application.ports import CourseSearch, LessonContentStore
from cmh.courses.di import CoursesStandInsProvider
from cmh.courses.module import CoursesModule
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import SystemClock
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose, migrations_of
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.web.app import create_http_app
from cmh_testing.kernel.overrides import adding

MODULES = [CoursesModule()]


@dataclass
class CoursesTestApp:
    app: Litestar
    container: AsyncContainer
    bus: InProcessBus
    issuer: TokenIssuer

    def auth(self, principal: Principal) -> dict[str, str]:
        token = self.issuer.issue_access(
            principal, now=datetime.now(UTC), token_id=uuid.uuid4().hex
        )
        return {"Authorization": f"Bearer {token}"}

    async def drain(self) -> int:
        """Publish what the outbox holds to the in-process bus (and so to the consumers)."""
        relay = await self.container.get(OutboxRelay)
        return await relay.drain()

    async def entitlements(self) -> MemoryEntitlements:
        return await self.container.get(MemoryEntitlements)

    async def playback(self) -> MemoryPlayback:
        return await self.container.get(MemoryPlayback)

    async def media(self) -> MemoryMediaLibrary:
        return await self.container.get(MemoryMediaLibrary)

    async def labs(self) -> MemoryLabs:
        return await self.container.get(MemoryLabs)

    async def search(self) -> MemoryCourseSearch:
        search = await self.container.get(CourseSearch)
        assert isinstance(search, MemoryCourseSearch)
        return search

    async def contents(self) -> LessonContentStore:
        store: LessonContentStore = await self.container.get(LessonContentStore)
        return store


async def build_courses_test_app(directory: Path, *overrides: Provider) -> CoursesTestApp:
    """The Courses module's embedded composition over a SQLite file in ``directory``, with
    the users/content stand-ins and tokens it signs itself; ``overrides`` replace more
    (each says ``override=True``)."""
    key = SigningKey.generate()
    token_settings = TokenSettings()
    bus = InProcessBus(CoursesModule().subscriptions())
    authenticator = LocalAuthenticator(TokenVerifier(key.jwks(), token_settings), SystemClock())
    container = compose(
        Profile.EMBEDDED,
        MODULES,
        overrides=[CoursesStandInsProvider(), adding((Authenticator, authenticator)), *overrides],
        context={
            DatabaseSettings: DatabaseSettings(
                url=f"sqlite+aiosqlite:///{directory / 'courses.db'}"
            ),
            InProcessBus: bus,
        },
    )
    bus.bind(container)
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, *migrations_of(MODULES)])
    app = create_http_app(
        container=container,
        route_handlers=CoursesModule().routes(Profile.EMBEDDED),
        title="Courses",
        http=HttpSettings(),
    )
    return CoursesTestApp(
        app=app, container=container, bus=bus, issuer=TokenIssuer(key, token_settings)
    )
