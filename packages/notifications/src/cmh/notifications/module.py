"""Everything the Notifications context contributes to a process (see
``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import Provider

from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    JwksAuthProvider,
    RedisProvider,
    RedisTokenStampsProvider,
)
from cmh.kernel.health import BrokerCheck, DatabaseCheck, RedisCheck
from cmh.kernel.messaging.ports import Subscription
from cmh.kernel.messaging.relays import Relay
from cmh.kernel.module import (
    ContextModule,
    Health,
    Profile,
    sql_outbox_and_bus,
    web_entrypoints,
)
from cmh.kernel.sql.outbox import OutboxRelay
from cmh.notifications.adapters.sql.migrations import NOTIFICATIONS_MIGRATIONS
from cmh.notifications.api import NOTIFICATIONS_ROUTES
from cmh.notifications.application.integration_events import NOTIFICATIONS_EVENTS
from cmh.notifications.consumers import subscriptions
from cmh.notifications.di import (
    BackgroundMailJobsProvider,
    ConfiguredMailerProvider,
    InProcessPushProvider,
    KeyedLinksProvider,
    LocalLinksProvider,
    MemoryMailerProvider,
    NotificationsMemoryProvider,
    NotificationsSqlProvider,
    NotificationsUseCasesProvider,
    RecordedMailJobsProvider,
    RedisPushProvider,
    SqsMailJobsProvider,
    UsersHttpProvider,
    UsersStandInProvider,
)


class NotificationsModule(ContextModule):
    """The inbox, live push and mail of every notification, with preferences, quiet
    hours, digests and the delivery log.

    memory: in-memory stores, mailer and jobs (a test drains them), push in the process,
    a users stand-in.
    embedded: SQLite, mail jobs run in the process, mail to the configured provider (the
    file sink by default), push in the process; a users stand-in (the platform's
    in-process bridge replaces it).
    distributed: PostgreSQL, Kafka, mail jobs on SQS, push across instances through Redis
    Pub/Sub, users over HTTP with a service token; tokens checked against the JWKS.
    """

    name = "notifications"
    migrations = NOTIFICATIONS_MIGRATIONS
    events = NOTIFICATIONS_EVENTS

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [ClockProvider(), NotificationsUseCasesProvider(), *web_entrypoints()]
        if profile is Profile.MEMORY:
            return [
                *core,
                NotificationsMemoryProvider(),
                UsersStandInProvider(),
                MemoryMailerProvider(),
                RecordedMailJobsProvider(),
                InProcessPushProvider(),
                LocalLinksProvider(),
            ]
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                NotificationsSqlProvider(),
                UsersStandInProvider(),
                ConfiguredMailerProvider(),
                BackgroundMailJobsProvider(),
                InProcessPushProvider(),
                LocalLinksProvider(),
            ]
        return [
            *core,
            *sql_outbox_and_bus(profile),
            HttpClientProvider(),
            JwksAuthProvider(),
            RedisTokenStampsProvider(),
            RedisProvider(),
            NotificationsSqlProvider(),
            UsersHttpProvider(),
            ConfiguredMailerProvider(),
            SqsMailJobsProvider(),
            RedisPushProvider(),
            KeyedLinksProvider(),
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        return NOTIFICATIONS_ROUTES

    def subscriptions(self) -> Sequence[Subscription]:
        return subscriptions()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        return () if profile is Profile.MEMORY else (OutboxRelay,)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.DISTRIBUTED:
            return Health(ready=(DatabaseCheck, RedisCheck), signals=(BrokerCheck,))
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()
