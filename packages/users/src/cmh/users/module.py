"""Everything the Users context contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import Provider

from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    MemoryCacheProvider,
    MemoryTokenStampsProvider,
    RedisProvider,
    RedisTokenStampsProvider,
)
from cmh.kernel.health import BrokerCheck, DatabaseCheck, RedisCheck
from cmh.kernel.messaging.relays import Relay
from cmh.kernel.module import (
    ContextModule,
    Health,
    Profile,
    sql_outbox_and_bus,
    web_entrypoints,
)
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.users.adapters.sql import USERS_MIGRATIONS
from cmh.users.api import LOCAL_IDP_ROUTES, USERS_ROUTES
from cmh.users.application.integration_events import USERS_EVENTS
from cmh.users.di import (
    Auth0SsoProvider,
    DevMailSinkProvider,
    LocalSsoProvider,
    MemoryLoginFailuresProvider,
    RecordingMailerProvider,
    RedisLoginFailuresProvider,
    UsersMemoryProvider,
    UsersSecurityProvider,
    UsersSqlProvider,
    UsersUseCasesProvider,
)


class UsersModule(ContextModule):
    """Accounts, sign-in and single sign-on, tokens, profiles, tiers.

    memory: in-memory stores, recorded mail, the stand-in identity provider.
    embedded: SQLite, mail appended to a local file, the stand-in identity provider.
    distributed: PostgreSQL, Redis (throttling, token stamps), Kafka, Auth0.
    """

    name = "users"
    migrations = USERS_MIGRATIONS
    events = USERS_EVENTS

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [
            ClockProvider(),
            UsersUseCasesProvider(),
            UsersSecurityProvider(),
            *web_entrypoints(),
        ]
        if profile is Profile.MEMORY:
            return [
                *core,
                UsersMemoryProvider(),
                MemoryCacheProvider(),
                MemoryTokenStampsProvider(),
                MemoryLoginFailuresProvider(),
                RecordingMailerProvider(),
                LocalSsoProvider(),
            ]
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                MemoryCacheProvider(),
                MemoryTokenStampsProvider(),  # a disabled account's tokens stop at once
                HttpClientProvider(),
                UsersSqlProvider(),
                MemoryLoginFailuresProvider(),
                DevMailSinkProvider(),
                LocalSsoProvider(),
            ]
        return [
            *core,
            *sql_outbox_and_bus(profile),
            RedisProvider(),
            RedisTokenStampsProvider(),
            HttpClientProvider(),
            UsersSqlProvider(),
            RedisLoginFailuresProvider(),
            RecordingMailerProvider(),
            Auth0SsoProvider(),
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        if profile is Profile.DISTRIBUTED:
            return USERS_ROUTES
        return [*USERS_ROUTES, *LOCAL_IDP_ROUTES]  # the stand-in identity provider's page

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        return () if profile is Profile.MEMORY else (OutboxRelay,)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.DISTRIBUTED:
            # Ready when its stores answer; the broker only degrades it (events wait in
            # the outbox).
            return Health(ready=(DatabaseCheck, RedisCheck), signals=(BrokerCheck,))
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()
