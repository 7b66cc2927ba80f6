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

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.courses.adapters.memory.services import (
    MemoryEntitlements,
    MemoryMediaLibrary,
    MemoryPlayback,
)
from cmh.courses.adapters.search.memory import MemoryCourseSearch
from cmh.courses.adapters.sql.migrations import COURSES_MIGRATIONS
from cmh.courses.api import COURSES_ROUTES
from cmh.courses.application.ports import CourseSearch, LessonContentStore
from cmh.courses.consumers import subscriptions
from cmh.courses.di import (
    CoursesMemoryProvider,
    CoursesSqlProvider,
    CoursesUseCasesProvider,
    MemorySearchProvider,
)
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.cache import Cache, MemoryCache
from cmh.kernel.clock import Clock
from cmh.kernel.di import (
    ClockProvider,
    InProcessBusProvider,
    LocalLeaseProvider,
    SqlProvider,
)
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.auth import PrincipalProvider


class LocalAuthProvider(Provider):
    """Verifies tokens signed by ``key`` (what the users service would sign)."""

    scope = Scope.APP

    def __init__(self, key: SigningKey, settings: TokenSettings) -> None:
        super().__init__()
        self._key = key
        self._settings = settings

    @provide
    def authenticator(self, clock: Clock) -> Authenticator:
        return LocalAuthenticator(TokenVerifier(self._key.jwks(), self._settings), clock)


class ProcessCacheProvider(Provider):
    """The kernel ``MemoryCacheProvider`` cannot be built by dishka 1.10 (it asks for the
    ``int`` default of ``MemoryCache.__init__``); this gives the same cache."""

    scope = Scope.APP

    @provide
    def cache(self) -> Cache:
        return MemoryCache()


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

    async def search(self) -> MemoryCourseSearch:
        search = await self.container.get(CourseSearch)
        assert isinstance(search, MemoryCourseSearch)
        return search

    async def contents(self) -> LessonContentStore:
        store: LessonContentStore = await self.container.get(LessonContentStore)
        return store


async def build_courses_test_app(directory: Path, *extra_providers: Provider) -> CoursesTestApp:
    """``extra_providers`` override the defaults (dishka: the last provider of a type wins)."""
    key = SigningKey.generate()
    token_settings = TokenSettings()
    bus = InProcessBus(subscriptions())
    container = make_async_container(
        ClockProvider(),
        SqlProvider(),
        LocalLeaseProvider(),
        InProcessBusProvider(),
        ProcessCacheProvider(),
        LocalAuthProvider(key, token_settings),
        PrincipalProvider(),
        LitestarProvider(),
        CoursesSqlProvider(),
        CoursesMemoryProvider(),
        MemorySearchProvider(),
        CoursesUseCasesProvider(),
        *extra_providers,
        context={
            DatabaseSettings: DatabaseSettings(
                url=f"sqlite+aiosqlite:///{directory / 'courses.db'}"
            ),
            InProcessBus: bus,
        },
    )
    bus.bind(container)
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, COURSES_MIGRATIONS])
    app = create_http_app(
        container=container, route_handlers=COURSES_ROUTES, title="Courses", http=HttpSettings()
    )
    return CoursesTestApp(
        app=app, container=container, bus=bus, issuer=TokenIssuer(key, token_settings)
    )
