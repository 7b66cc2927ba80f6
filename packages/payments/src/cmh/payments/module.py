"""Everything the Payments context contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import Provider

from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    JwksAuthProvider,
    RedisTokenStampsProvider,
)
from cmh.kernel.health import BrokerCheck, DatabaseCheck
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
from cmh.payments.adapters.sql.migrations import PAYMENTS_MIGRATIONS
from cmh.payments.adapters.standin.deliveries import StandInDeliveries
from cmh.payments.api import PAYMENTS_ROUTES, STAND_IN_ROUTES
from cmh.payments.application.integration_events import PAYMENTS_EVENTS
from cmh.payments.background import PaymentsWork
from cmh.payments.consumers import subscriptions
from cmh.payments.di import (
    MemoryUsersProvider,
    PaymentsMemoryProvider,
    PaymentsSqlProvider,
    PaymentsUseCasesProvider,
    SdkStripeProvider,
    StandInStripeProvider,
    UsersHttpProvider,
)


class PaymentsModule(ContextModule):
    """Plans, checkout, Stripe webhooks, subscriptions, payments and refunds; the tier
    each learner paid for, carried to users.

    memory: in-memory stores, the Stripe stand-in, a users stand-in (tests drain the work).
    embedded: SQLite, the Stripe stand-in posting signed webhooks back to the process, the
    users stand-in (the platform's in-process bridge replaces it).
    distributed: PostgreSQL, Kafka, Stripe through its SDK, users over HTTP with a
    service token; tokens checked against the JWKS.
    """

    name = "payments"
    migrations = PAYMENTS_MIGRATIONS
    events = PAYMENTS_EVENTS

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [ClockProvider(), PaymentsUseCasesProvider(), *web_entrypoints()]
        if profile is Profile.MEMORY:
            return [
                *core,
                PaymentsMemoryProvider(),
                StandInStripeProvider(),
                MemoryUsersProvider(),
            ]
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                PaymentsSqlProvider(),
                StandInStripeProvider(),
                MemoryUsersProvider(),
            ]
        return [
            *core,
            *sql_outbox_and_bus(profile),
            HttpClientProvider(),
            JwksAuthProvider(),
            RedisTokenStampsProvider(),
            PaymentsSqlProvider(),
            SdkStripeProvider(),
            UsersHttpProvider(),
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        if profile is Profile.DISTRIBUTED:
            return PAYMENTS_ROUTES
        return [*PAYMENTS_ROUTES, *STAND_IN_ROUTES]

    def subscriptions(self) -> Sequence[Subscription]:
        return subscriptions()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        if profile is Profile.MEMORY:
            return ()
        if profile is Profile.EMBEDDED:  # the Stripe stand-in's webhooks too
            return (OutboxRelay, PaymentsWork, StandInDeliveries)
        return (OutboxRelay, PaymentsWork)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.DISTRIBUTED:
            return Health(ready=(DatabaseCheck,), signals=(BrokerCheck,))
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()
