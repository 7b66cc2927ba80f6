"""``build_users_test_app``: the Users HTTP app composed the way the composition roots
do it, with a frozen clock, recorded mail, cheap argon2 and the local single sign-on
stand-in, over a database the caller chooses."""

from __future__ import annotations

import secrets
from datetime import datetime

from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import TokenIssuer, TokenSettings
from cmh.kernel.clock import Clock, FrozenClock, IdGenerator
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app
from cmh.users.adapters.argon2_hasher import Argon2Parameters, Argon2PasswordHasher
from cmh.users.adapters.mailer import RecordingMailer
from cmh.users.adapters.sql import USERS_MIGRATIONS
from cmh.users.application.ports import AccountMailer, IdentityProvider, PasswordHasher
from cmh.users.domain.roles import service_principal
from cmh.users.module import UsersModule
from cmh.users.settings import LocalIdpSettings, SsoSettings, UsersSettings
from cmh_testing.kernel.overrides import replacing

SSO_REDIRECT = "https://app.example.com/callback"
# Single sign-on comes back to one registered page; the stand-in provider is served here.
TEST_USERS_SETTINGS = UsersSettings(
    sso=SsoSettings(redirect_uris=[SSO_REDIRECT]),
    local_idp=LocalIdpSettings(base_url="http://testserver.local"),
)


# Cheap hashing: the production cost makes every login of a test take a quarter second.
FAST_HASHER = Argon2PasswordHasher(Argon2Parameters.for_tests())
# The override for a composed app (the embedded platform in end-to-end tests).
CHEAP_HASHING = replacing((PasswordHasher, FAST_HASHER))


def build_users_container(
    database_url: str,
    *,
    clock: Clock | None = None,
    mailer: RecordingMailer | None = None,
    identity_provider: IdentityProvider | None = None,
    token_settings: TokenSettings | None = None,
    users_settings: UsersSettings | None = None,
    ids: IdGenerator | None = None,
) -> AsyncContainer:
    """The Users module in the embedded profile over ``database_url``, with ``clock``,
    ``mailer`` (recorded), cheap hashing and, when given, ``identity_provider`` and
    ``ids`` in place of the production adapters."""
    replaced: list[tuple[object, object]] = [
        (Clock, clock or FrozenClock()),
        (PasswordHasher, FAST_HASHER),
        (AccountMailer, mailer or RecordingMailer()),
    ]
    if identity_provider is not None:
        replaced.append((IdentityProvider, identity_provider))
    if ids is not None:
        replaced.append((IdGenerator, ids))
    return compose(
        Profile.EMBEDDED,
        [UsersModule()],
        overrides=[replacing(*replaced)],
        context={
            DatabaseSettings: DatabaseSettings(url=database_url),
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
    ids: IdGenerator | None = None,
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
        ids=ids,
    )

    async def run_migrations() -> None:
        await migrate(container)

    return create_http_app(
        container=container,
        route_handlers=UsersModule().routes(Profile.EMBEDDED),
        title="CloudMastersHub Users",
        http=http or HttpSettings(),
        on_startup=[run_migrations],
    )


async def service_token(container: AsyncContainer, service: str, *, now: datetime) -> str:
    """An access token for another platform service (role ``service``)."""
    issuer = await container.get(TokenIssuer)
    principal: Principal = service_principal(service)
    return issuer.issue_access(principal, now=now, token_id=f"svc-{secrets.token_hex(8)}")
