"""Everything the Analytics context contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import Provider

from cmh.analytics.adapters.sql.migrations import ANALYTICS_MIGRATIONS
from cmh.analytics.api import ANALYTICS_ROUTES
from cmh.analytics.application.integration_events import ANALYTICS_EVENTS
from cmh.analytics.consumers import subscriptions
from cmh.analytics.di import (
    AnalyticsEngineProvider,
    AnalyticsMemoryProvider,
    AnalyticsSqlProvider,
    AnalyticsUseCasesProvider,
    InProcessLiveFeedProvider,
    MixpanelProvider,
    NoProductAnalyticsProvider,
    RedisLiveFeedProvider,
    ServicesHttpProvider,
    ServicesStandInProvider,
)
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


class AnalyticsModule(ContextModule):
    """Learning events kept as facts (once each), dashboards, course reports and charts,
    recommendations with their reasons, product analytics.

    memory: in-memory warehouse, courses and users stand-ins, nothing forwarded, live
    counters in process. embedded: SQLite warehouse, the stand-ins (the platform's
    in-process bridges replace them), nothing forwarded, live counters in process.
    distributed: PostgreSQL warehouse, Kafka, courses and users over HTTP, Mixpanel when
    configured, live counters over Redis Pub/Sub; tokens checked against the JWKS.
    """

    name = "analytics"
    migrations = ANALYTICS_MIGRATIONS
    events = ANALYTICS_EVENTS

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [
            ClockProvider(),
            AnalyticsUseCasesProvider(),
            AnalyticsEngineProvider(),
            *web_entrypoints(),
        ]
        if profile is Profile.MEMORY:
            return [
                *core,
                AnalyticsMemoryProvider(),
                ServicesStandInProvider(),
                NoProductAnalyticsProvider(),
                InProcessLiveFeedProvider(),
            ]
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                AnalyticsSqlProvider(),
                ServicesStandInProvider(),
                NoProductAnalyticsProvider(),
                InProcessLiveFeedProvider(),
            ]
        return [
            *core,
            *sql_outbox_and_bus(profile),
            HttpClientProvider(),
            JwksAuthProvider(),
            RedisTokenStampsProvider(),
            AnalyticsSqlProvider(),
            ServicesHttpProvider(),
            MixpanelProvider(),
            RedisProvider(),
            RedisLiveFeedProvider(),
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        return ANALYTICS_ROUTES

    def subscriptions(self) -> Sequence[Subscription]:
        return subscriptions()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        return () if profile is Profile.MEMORY else (OutboxRelay,)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.DISTRIBUTED:
            # Redis carries only the live counters: a signal, never a reason to leave.
            return Health(ready=(DatabaseCheck,), signals=(BrokerCheck, RedisCheck))
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()
