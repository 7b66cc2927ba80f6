"""``build_users_test_app``: the Users HTTP app composed the way the composition roots
do it, with a frozen clock, recorded mail, cheap argon2 and the local single sign-on
stand-in, over a database the caller chooses."""

from __future__ import annotations

import secrets
from datetime import datetime

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import TokenIssuer, TokenSettings
from cmh.kernel.clock import Clock, FrozenClock, IdGenerator, UuidGenerator
from cmh.kernel.di import (
    InProcessBusProvider,
    LocalLeaseProvider,
    MemoryCacheProvider,
    MemoryTokenStampsProvider,
    ServiceName,
    SqlProvider,
)
from cmh.kernel.health import DatabaseCheck, HealthChecks
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.auth import PrincipalProvider
from cmh.users.adapters.argon2_hasher import Argon2Parameters
from cmh.users.adapters.mailer import RecordingMailer
from cmh.users.adapters.sql import USERS_MIGRATIONS
from cmh.users.api import LOCAL_IDP_ROUTES, USERS_ROUTES
from cmh.users.application.ports import IdentityProvider
from cmh.users.di import (
    LocalSsoProvider,
    MemoryLoginFailuresProvider,
    RecordingMailerProvider,
    UsersSecurityProvider,
    UsersSqlProvider,
    UsersUseCasesProvider,
)
from cmh.users.domain.roles import service_principal
from cmh.users.settings import LocalIdpSettings, SsoSettings, UsersSettings

SERVICE_NAME = ServiceName("cloudmastershub/users")
SSO_REDIRECT = "https://app.example.com/callback"
# Single sign-on comes back to one registered page; the stand-in provider is served here.
TEST_USERS_SETTINGS = UsersSettings(
    sso=SsoSettings(redirect_uris=[SSO_REDIRECT]),
    local_idp=LocalIdpSettings(base_url="http://testserver.local"),
)


class TestClockProvider(Provider):
    """The given clock (a ``FrozenClock`` the test moves) and real uuids."""

    scope = Scope.APP

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self._clock = clock

    @provide
    def clock(self) -> Clock:
        return self._clock

    @provide
    def ids(self) -> IdGenerator:
        return UuidGenerator()


class DatabaseHealthProvider(Provider):
    scope = Scope.APP

    @provide
    def checks(self, engine: AsyncEngine) -> HealthChecks:
        return HealthChecks([DatabaseCheck(engine)])


class FixedIdentityProvider(Provider):
    scope = Scope.APP

    def __init__(self, identity_provider: IdentityProvider) -> None:
        super().__init__()
        self._identity_provider = identity_provider

    @provide
    def identity_provider(self) -> IdentityProvider:
        return self._identity_provider


def build_users_container(
    database_url: str,
    *,
    clock: Clock | None = None,
    mailer: RecordingMailer | None = None,
    identity_provider: IdentityProvider | None = None,
    token_settings: TokenSettings | None = None,
    users_settings: UsersSettings | None = None,
    with_http: bool = True,
) -> AsyncContainer:
    sso: Provider = (
        FixedIdentityProvider(identity_provider)
        if identity_provider is not None
        else LocalSsoProvider()
    )
    http_providers: list[Provider] = [PrincipalProvider(), LitestarProvider()] if with_http else []
    return make_async_container(
        TestClockProvider(clock or FrozenClock()),
        SqlProvider(),
        LocalLeaseProvider(),
        InProcessBusProvider(),
        MemoryCacheProvider(),
        MemoryTokenStampsProvider(),
        DatabaseHealthProvider(),
        UsersSqlProvider(),
        UsersUseCasesProvider(),
        UsersSecurityProvider(Argon2Parameters.for_tests()),
        MemoryLoginFailuresProvider(),
        RecordingMailerProvider(mailer or RecordingMailer()),
        sso,
        *http_providers,
        context={
            DatabaseSettings: DatabaseSettings(url=database_url),
            ServiceName: SERVICE_NAME,
            InProcessBus: InProcessBus(),
            TokenSettings: token_settings or TokenSettings(),
            UsersSettings: users_settings or TEST_USERS_SETTINGS,
        },
    )


async def migrate(container: AsyncContainer) -> None:
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, USERS_MIGRATIONS])


def build_users_test_app(
    database_url: str,
    *,
    clock: Clock | None = None,
    mailer: RecordingMailer | None = None,
    identity_provider: IdentityProvider | None = None,
    token_settings: TokenSettings | None = None,
    users_settings: UsersSettings | None = None,
    http: HttpSettings | None = None,
) -> Litestar:
    """The Users HTTP app over ``database_url`` (migrated on startup). The container is
    ``app.state.dishka_container``; pass ``clock``/``mailer`` to drive and observe it."""
    container = build_users_container(
        database_url,
        clock=clock,
        mailer=mailer,
        identity_provider=identity_provider,
        token_settings=token_settings,
        users_settings=users_settings,
    )

    async def run_migrations() -> None:
        await migrate(container)

    return create_http_app(
        container=container,
        route_handlers=[*USERS_ROUTES, *LOCAL_IDP_ROUTES],
        title="CloudMastersHub Users",
        http=http or HttpSettings(),
        on_startup=[run_migrations],
    )


async def service_token(container: AsyncContainer, service: str, *, now: datetime) -> str:
    """An access token for another platform service (role ``service``)."""
    issuer = await container.get(TokenIssuer)
    principal: Principal = service_principal(service)
    return issuer.issue_access(principal, now=now, token_id=f"svc-{secrets.token_hex(8)}")
