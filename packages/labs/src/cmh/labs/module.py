"""Everything the Labs context contributes to a process (see ``cmh.kernel.module``)."""

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
from cmh.labs.adapters.sql.migrations import LABS_MIGRATIONS
from cmh.labs.api import LABS_ROUTES
from cmh.labs.application.integration_events import LABS_EVENTS
from cmh.labs.consumers import subscriptions
from cmh.labs.di import (
    BackgroundJobsProvider,
    EmbeddedCloudProvider,
    KeyedVaultProvider,
    LabsMemoryProvider,
    LabsSqlProvider,
    LabsStandInsProvider,
    LabsUseCasesProvider,
    LocalVaultProvider,
    MemoryCloudProvider,
    RecordedJobsProvider,
    SdkCloudsProvider,
    SqsJobsProvider,
    UsersHttpProvider,
)


class LabsModule(ContextModule):
    """Lab templates, sessions and their jobs, validation, cost and lab hours.

    memory: in-memory stores, clouds and jobs (a test drains them); a users stand-in.
    embedded: SQLite, jobs run in the process, AWS on an in-process moto server, Azure and
    GCP on simulators; a users stand-in (the platform's in-process bridge replaces it).
    distributed: PostgreSQL, Kafka, AWS through boto3 (Azure and GCP through their SDKs
    where configured), jobs on SQS, the vault under its configured key, users over HTTP;
    tokens checked against the JWKS.
    """

    name = "labs"
    migrations = LABS_MIGRATIONS
    events = LABS_EVENTS

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [ClockProvider(), LabsUseCasesProvider(), *web_entrypoints()]
        if profile is Profile.MEMORY:
            return [
                *core,
                LabsMemoryProvider(),
                LabsStandInsProvider(),
                MemoryCloudProvider(),
                RecordedJobsProvider(),
                LocalVaultProvider(),
            ]
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                LabsSqlProvider(),
                LabsStandInsProvider(),
                EmbeddedCloudProvider(),
                BackgroundJobsProvider(),
                LocalVaultProvider(),
            ]
        return [
            *core,
            *sql_outbox_and_bus(profile),
            HttpClientProvider(),
            JwksAuthProvider(),
            RedisTokenStampsProvider(),
            LabsSqlProvider(),
            UsersHttpProvider(),
            SdkCloudsProvider(),
            SqsJobsProvider(),
            KeyedVaultProvider(),
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        return LABS_ROUTES

    def subscriptions(self) -> Sequence[Subscription]:
        return subscriptions()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        return () if profile is Profile.MEMORY else (OutboxRelay,)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.DISTRIBUTED:
            return Health(ready=(DatabaseCheck,), signals=(BrokerCheck,))
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()
