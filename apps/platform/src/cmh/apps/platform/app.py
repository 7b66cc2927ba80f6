"""The embedded profile: every context in one process, SQLite through the same SQLAlchemy
adapters, the in-process bus behind the same outbox, in-memory cache and rate limits,
local stand-ins for vendors. `make run` serves it with seeded demo data."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.apps.platform.bridges import (
    InProcessEntitlements,
    InProcessMediaLibrary,
    InProcessPlayback,
)
from cmh.apps.platform.seed import seed_demo_data
from cmh.apps.platform.settings import PlatformSettings
from cmh.apps.platform.signing_key import local_token_settings
from cmh.content.adapters.sql.tables import CONTENT_MIGRATIONS
from cmh.content.api import CONTENT_ROUTES, MEDIA_ROUTES
from cmh.content.consumers import subscriptions as content_subscriptions
from cmh.content.di import (
    ContentKernelUnitOfWorkProvider,
    ContentLocalProvider,
    ContentSettings,
    ContentSqlProvider,
    ContentUseCasesProvider,
)
from cmh.courses.adapters.sql.migrations import COURSES_MIGRATIONS
from cmh.courses.api import COURSES_ROUTES
from cmh.courses.application.ports import Entitlements, MediaLibrary, Playback
from cmh.courses.application.reindex_catalog import ReindexCatalog
from cmh.courses.consumers import subscriptions as courses_subscriptions
from cmh.courses.di import (
    CoursesMemoryProvider,
    CoursesSqlContentProvider,
    CoursesSqlProvider,
    CoursesUseCasesProvider,
    MemorySearchProvider,
)
from cmh.gateway.api.policies_middleware import container_policies_middleware
from cmh.gateway.application.admit_request import AdmitRequest
from cmh.gateway.domain.routing import is_internal
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    InProcessBusProvider,
    LocalLeaseProvider,
    MemoryCacheProvider,
    MemoryTokenStampsProvider,
    ServiceName,
    SqlProvider,
)
from cmh.kernel.health import DatabaseCheck, HealthChecks
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.ports import Subscription
from cmh.kernel.messaging.sources import per_context
from cmh.kernel.ratelimit import RateLimiter
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, MigrationSet, upgrade
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.auth import PrincipalProvider
from cmh.users.adapters.sql import USERS_MIGRATIONS
from cmh.users.api import LOCAL_IDP_ROUTES, USERS_ROUTES
from cmh.users.di import (
    DevMailSinkProvider,
    LocalSsoProvider,
    MemoryLoginFailuresProvider,
    UsersSecurityProvider,
    UsersSqlProvider,
    UsersUseCasesProvider,
)
from cmh.users.settings import UsersSettings

MIGRATIONS: list[MigrationSet] = [
    KERNEL_MIGRATIONS,
    USERS_MIGRATIONS,
    COURSES_MIGRATIONS,
    CONTENT_MIGRATIONS,
]
# Service-to-service routes stay off the public port: in process the contexts call each
# other's use cases (bridges.py), so `/internal` is not found whatever the method, and is
# not in the OpenAPI document.
ROUTES: list[object] = [
    route
    for route in (
        *USERS_ROUTES,
        *LOCAL_IDP_ROUTES,  # the stand-in identity provider's sign-in page
        *COURSES_ROUTES,
        *CONTENT_ROUTES,
        *MEDIA_ROUTES,
    )
    if not is_internal(str(getattr(route, "path", "")))
]
SUBSCRIPTIONS: list[Subscription] = [*courses_subscriptions(), *content_subscriptions()]
# Verification and reset mails (with their links) land here, never in the log.
MAIL_FILE = "mail.jsonl"

DESCRIPTION = """CloudMastersHub, embedded profile: every service in one process.

Log in with a demo account (`POST /api/v1/auth/login`), then send
`Authorization: Bearer <access_token>`. Errors are RFC 9457 problem details with a stable
`code`."""


def progress(line: str) -> None:
    print(f"==> {line}", file=sys.stderr, flush=True)


class PlatformHealthProvider(Provider):
    scope = Scope.APP

    @provide
    def checks(self, engine: AsyncEngine) -> HealthChecks:
        return HealthChecks([DatabaseCheck(engine)])


class GatewayPoliciesProvider(Provider):
    """The gateway's admission rules (public allow-list, token check, rate limits) for the
    routes this process serves itself."""

    scope = Scope.APP

    @provide
    def admit(
        self, authenticator: Authenticator, limiter: RateLimiter, settings: GatewaySettings
    ) -> AdmitRequest:
        return AdmitRequest(authenticator, limiter, settings.route_limits())


class InProcessBridgesProvider(Provider):
    """Cross-context ports answered in process (see bridges.py)."""

    scope = Scope.APP

    @provide
    def entitlements(self, container: AsyncContainer) -> Entitlements:
        return InProcessEntitlements(container)

    @provide
    def playback(self, container: AsyncContainer) -> Playback:
        return InProcessPlayback(container)

    @provide
    def media(self, container: AsyncContainer) -> MediaLibrary:
        return InProcessMediaLibrary(container)


def build_container(
    settings: PlatformSettings, bus: InProcessBus, *overrides: Provider
) -> AsyncContainer:
    data_dir = Path(settings.data_dir)
    return make_async_container(
        ClockProvider(),
        # Each context's events carry its own source, as its service would stamp them.
        SqlProvider(event_source=per_context()),
        LocalLeaseProvider(),
        InProcessBusProvider(),
        MemoryCacheProvider(),
        MemoryTokenStampsProvider(),  # a disabled account's tokens stop at once
        HttpClientProvider(),
        PrincipalProvider(),
        LitestarProvider(),
        PlatformHealthProvider(),
        UsersSqlProvider(),
        UsersUseCasesProvider(),
        UsersSecurityProvider(),
        MemoryLoginFailuresProvider(),
        DevMailSinkProvider(data_dir / MAIL_FILE),
        LocalSsoProvider(),
        CoursesSqlProvider(),
        CoursesMemoryProvider(),
        CoursesSqlContentProvider(),  # after the memory one: lesson content survives restarts
        MemorySearchProvider(),
        CoursesUseCasesProvider(),
        ContentSqlProvider(),
        ContentKernelUnitOfWorkProvider(),
        ContentLocalProvider(),
        ContentUseCasesProvider(),
        InProcessBridgesProvider(),
        GatewayPoliciesProvider(),
        *overrides,
        context={
            DatabaseSettings: DatabaseSettings(url=settings.database_url),
            ServiceName: ServiceName("cloudmastershub/platform"),
            InProcessBus: bus,
            TokenSettings: local_token_settings(settings.tokens, data_dir),
            UsersSettings: settings.users_settings(),
            ContentSettings: settings.content_settings(),
            GatewaySettings: settings.gateway,
        },
    )


def create_app(settings: PlatformSettings, *overrides: Provider) -> Litestar:
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    bus = InProcessBus(SUBSCRIPTIONS)
    container = build_container(settings, bus, *overrides)
    bus.bind(container)
    stop = asyncio.Event()
    relay_tasks: list[asyncio.Task[None]] = []

    async def prepare() -> None:
        engine = await container.get(AsyncEngine)
        await upgrade(engine, MIGRATIONS, progress)
        progress("indexing the course catalog for search")
        async with container() as request:
            await (await request.get(ReindexCatalog)).execute()
        if settings.seed_demo_data:
            await seed_demo_data(container, progress)
        relay = await container.get(OutboxRelay)
        await relay.drain()
        relay_tasks.append(asyncio.create_task(relay.run(stop), name="outbox-relay"))

    async def stop_relay() -> None:
        stop.set()
        for task in relay_tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = create_http_app(
        container=container,
        route_handlers=ROUTES,
        title="CloudMastersHub",
        description=DESCRIPTION,
        http=settings.http,
        on_startup=[prepare],
        on_shutdown=[stop_relay],
        middleware=[container_policies_middleware],
    )
    app.state.event_bus = bus  # what the embedded bus carried: for operators and journeys
    return app
