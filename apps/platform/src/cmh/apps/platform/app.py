"""The embedded profile: every context in one process, SQLite through the same SQLAlchemy
adapters, the in-process bus behind the same outbox, in-memory cache and rate limits,
local stand-ins for vendors. `make run` serves it with seeded demo data."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import msgspec
from dishka import AsyncContainer, Provider, Scope, provide
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.analytics.application.ports import CourseDirectory, LearnerProfiles
from cmh.analytics.module import AnalyticsModule
from cmh.analytics.settings import AnalyticsSettings
from cmh.analytics.timers import RetrainTimer
from cmh.apps.platform.bridges import (
    InProcessAccountMailer,
    InProcessAdministrators,
    InProcessCourseCatalog,
    InProcessCourseDirectory,
    InProcessCourseMembers,
    InProcessEntitlements,
    InProcessLabEntitlements,
    InProcessLabHours,
    InProcessLabs,
    InProcessLearnerProfiles,
    InProcessMediaLibrary,
    InProcessPlayback,
    InProcessUserDirectory,
    InProcessUserProfiles,
    InProcessUsersTiers,
)
from cmh.apps.platform.seed import seed_demo_data
from cmh.apps.platform.settings import PlatformSettings
from cmh.apps.platform.signing_key import local_token_settings
from cmh.assessments.application.ports import CourseCatalog
from cmh.assessments.module import AssessmentsModule
from cmh.assessments.settings import AssessmentsSettings
from cmh.assessments.timers import run_attempt_sweeper
from cmh.content.module import ContentModule
from cmh.content.settings import ContentSettings
from cmh.courses.application.ports import Entitlements, Labs, MediaLibrary, Playback
from cmh.courses.module import CoursesModule
from cmh.forum.application.ports import CourseMembers, UserDirectory
from cmh.forum.module import ForumModule
from cmh.gateway.api.policies_middleware import container_policies_middleware
from cmh.gateway.domain.routing import is_internal
from cmh.gateway.module import GatewayModule
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import InProcessDeadLettersProvider
from cmh.kernel.freed_memory import release_freed_memory_every
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.relays import RelayRunner
from cmh.kernel.module import (
    ContextModule,
    Profile,
    compose,
    migrations_of,
    prepare_all,
    relay_runner,
    routes_of,
    subscriptions_of,
)
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.dead_letters import DeadLettersController
from cmh.kernel.web.web_client import web_client_routes
from cmh.labs.application.ports import CloudLabs
from cmh.labs.application.ports import Entitlements as LabEntitlements
from cmh.labs.module import LabsModule
from cmh.labs.settings import LabsSettings
from cmh.labs.timers import LabTimers
from cmh.notifications.application.ports import Administrators, UserProfiles
from cmh.notifications.module import NotificationsModule
from cmh.notifications.settings import NotificationsSettings
from cmh.notifications.timers import run_mail_timer
from cmh.payments.application.ports import LabHours, UsersTiers
from cmh.payments.module import PaymentsModule
from cmh.payments.settings import PaymentsSettings
from cmh.users.application.ports import AccountMailer
from cmh.users.module import UsersModule
from cmh.users.settings import UsersSettings

MODULES: list[ContextModule] = [
    UsersModule(),
    CoursesModule(),
    ContentModule(),
    LabsModule(),
    AssessmentsModule(),
    PaymentsModule(),
    ForumModule(),
    NotificationsModule(),
    AnalyticsModule(),
    GatewayModule(),
]
# Service-to-service routes stay off the public port: in process the contexts call each
# other's use cases (bridges.py), so `/internal` is not found whatever the method, and is
# not in the OpenAPI document.
ROUTES: list[object] = [
    *(
        route
        for route in routes_of(Profile.EMBEDDED, MODULES)
        if not is_internal(str(getattr(route, "path", "")))
    ),
    # What the in-process bus parked, for administrators (no context owns the bus).
    DeadLettersController,
]
# Users' own mail file: unused while the platform hands account mail to notifications (whose
# mail, links included, lands in the data folder's notifications-mail.jsonl).
MAIL_FILE = "mail.jsonl"

DESCRIPTION = """CloudMastersHub, embedded profile: every service in one process.

Log in with a demo account (`POST /api/v1/auth/login`), then send
`Authorization: Bearer <access_token>`. Errors are RFC 9457 problem details with a stable
`code`."""


def progress(line: str) -> None:
    print(f"==> {line}", file=sys.stderr, flush=True)


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

    @provide
    def labs(self, container: AsyncContainer) -> Labs:
        return InProcessLabs(container)

    # Labs' embedded profile has a users stand-in: the platform answers from users.
    @provide(override=True)
    def lab_entitlements(self, container: AsyncContainer) -> LabEntitlements:
        return InProcessLabEntitlements(container)

    # Assessments' embedded profile has a courses stand-in: the platform answers from courses.
    @provide(override=True)
    def assessed_courses(self, container: AsyncContainer) -> CourseCatalog:
        return InProcessCourseCatalog(container)

    # Payments' embedded profile has a users stand-in: tiers go to users in process.
    @provide(override=True)
    def users_tiers(self, container: AsyncContainer) -> UsersTiers:
        return InProcessUsersTiers(container)

    @provide(override=True)
    def lab_hours(self, container: AsyncContainer) -> LabHours:
        return InProcessLabHours(container)

    # The forum's embedded profile has a courses stand-in: the platform answers from courses.
    @provide(override=True)
    def forum_course_members(self, container: AsyncContainer) -> CourseMembers:
        return InProcessCourseMembers(container)

    # And a users stand-in: @mentions resolve to accounts in users.
    @provide(override=True)
    def forum_user_directory(self, container: AsyncContainer) -> UserDirectory:
        return InProcessUserDirectory(container)

    # So has notifications': locales and time zones come from users.
    @provide(override=True)
    def user_profiles(self, container: AsyncContainer) -> UserProfiles:
        return InProcessUserProfiles(container)

    @provide(override=True)
    def administrators(self, container: AsyncContainer) -> Administrators:
        return InProcessAdministrators(container)

    # Users' account mail goes through notifications, which owns every mail.
    @provide(override=True)
    def account_mail(
        self, container: AsyncContainer, users: UsersSettings, notifications: NotificationsSettings
    ) -> AccountMailer:
        return InProcessAccountMailer(
            container,
            notifications.public_url,
            verification_ttl_seconds=users.email_verification_ttl_seconds,
            reset_ttl_seconds=users.password_reset_ttl_seconds,
        )

    # Analytics' embedded profile has courses and users stand-ins: the platform answers.
    @provide(override=True)
    def reported_courses(self, container: AsyncContainer) -> CourseDirectory:
        return InProcessCourseDirectory(container)

    @provide(override=True)
    def learner_profiles(self, container: AsyncContainer) -> LearnerProfiles:
        return InProcessLearnerProfiles(container)


def build_container(
    settings: PlatformSettings, bus: InProcessBus, *overrides: Provider
) -> AsyncContainer:
    data_dir = Path(settings.data_dir)
    users = msgspec.structs.replace(
        settings.users_settings(), dev_mail_file=str(data_dir / MAIL_FILE)
    )
    return compose(
        Profile.EMBEDDED,
        MODULES,
        overrides=[InProcessBridgesProvider(), InProcessDeadLettersProvider(), *overrides],
        context={
            DatabaseSettings: DatabaseSettings(url=settings.database_url),
            InProcessBus: bus,
            TokenSettings: local_token_settings(settings.tokens, data_dir),
            UsersSettings: users,
            ContentSettings: settings.content_settings(),
            LabsSettings: settings.labs,
            AssessmentsSettings: settings.assessments_settings(),
            PaymentsSettings: settings.payments_settings(),
            NotificationsSettings: settings.notifications_settings(),
            AnalyticsSettings: settings.analytics,
            GatewaySettings: settings.gateway,
        },
    )


def create_app(settings: PlatformSettings, *overrides: Provider) -> Litestar:
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    bus = InProcessBus(subscriptions_of(MODULES))
    container = build_container(settings, bus, *overrides)
    bus.bind(container)
    relays: list[RelayRunner] = []
    stop_timers = asyncio.Event()
    timers: list[asyncio.Task[object]] = []

    async def prepare() -> None:
        engine = await container.get(AsyncEngine)
        await upgrade(engine, [KERNEL_MIGRATIONS, *migrations_of(MODULES)], progress)
        await prepare_all(Profile.EMBEDDED, container, MODULES, progress)
        if settings.seed_demo_data:
            await seed_demo_data(container, progress)
        runner = await relay_runner(Profile.EMBEDDED, container, MODULES)
        await runner.drain()
        runner.start()
        relays.append(runner)
        # Labs' clouds now (the in-process moto server starts here and stops when the
        # container closes), then the reaper and reconciler on their intervals.
        await container.get(CloudLabs)
        timers.append(asyncio.create_task(LabTimers(container).run(stop_timers)))
        # Held mail (quiet hours, digests) released on its interval.
        interval = (await container.get(NotificationsSettings)).mail_timer_seconds
        timers.append(asyncio.create_task(run_mail_timer(container, interval, stop_timers)))
        # Attempts left open past their deadline closed and graded.
        sweeper = (await container.get(AssessmentsSettings)).sweeper_seconds
        timers.append(asyncio.create_task(run_attempt_sweeper(container, sweeper, stop_timers)))
        # The recommendation model retrained when enough facts arrived or it is old.
        every = (await container.get(AnalyticsSettings)).retrain_check_seconds
        timers.append(asyncio.create_task(RetrainTimer(container, every).run(stop_timers)))
        # What the start's bursts (the EC2 catalogue, the demo videos) freed, handed back.
        release = release_freed_memory_every(settings.release_freed_memory_seconds, stop_timers)
        timers.append(asyncio.create_task(release))

    async def stop_relays() -> None:
        stop_timers.set()
        for task in timers:
            await task
        for runner in relays:
            await runner.stop()

    app = create_http_app(
        container=container,
        # The web client last: its fallback page never answers a path the API serves.
        route_handlers=[*ROUTES, *web_client_routes(settings.web_client_dir)],
        title="CloudMastersHub",
        description=DESCRIPTION,
        http=settings.http,
        on_startup=[prepare],
        on_shutdown=[stop_relays],
        middleware=[container_policies_middleware],
    )
    app.state.event_bus = bus  # what the embedded bus carried: for operators and journeys
    return app
