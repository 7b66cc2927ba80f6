"""Everything the Assessments context contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import Provider

from cmh.assessments.adapters.sql.migrations import ASSESSMENTS_MIGRATIONS
from cmh.assessments.api import ASSESSMENTS_ROUTES
from cmh.assessments.application.integration_events import ASSESSMENTS_EVENTS
from cmh.assessments.consumers import subscriptions
from cmh.assessments.di import (
    AssessmentsMemoryProvider,
    AssessmentsSqlProvider,
    AssessmentsUseCasesProvider,
    CoursesHttpProvider,
    CoursesStandInProvider,
    CredentialsProvider,
    LocalProctoringProvider,
    ProctoringProvider,
)
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


class AssessmentsModule(ContextModule):
    """Question banks, quizzes and exams, timed attempts graded on the server, proctoring,
    certificates with signed credentials.

    memory: in-memory stores, a courses stand-in, local proctoring, a signing key of the
    process. embedded: SQLite, the courses stand-in (the platform's in-process bridge
    replaces it), Proctorio when configured (else local proctoring), the key file made on
    first use. distributed: PostgreSQL, Kafka, courses over HTTP, Proctorio when
    configured, the configured signing key (required); tokens checked against the JWKS.
    """

    name = "assessments"
    migrations = ASSESSMENTS_MIGRATIONS
    events = ASSESSMENTS_EVENTS

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [ClockProvider(), AssessmentsUseCasesProvider(), *web_entrypoints()]
        if profile is Profile.MEMORY:
            return [
                *core,
                AssessmentsMemoryProvider(),
                CoursesStandInProvider(),
                LocalProctoringProvider(),
                CredentialsProvider(keys_required=False),
            ]
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                AssessmentsSqlProvider(),
                CoursesStandInProvider(),
                ProctoringProvider(),
                CredentialsProvider(keys_required=False),
            ]
        return [
            *core,
            *sql_outbox_and_bus(profile),
            HttpClientProvider(),
            JwksAuthProvider(),
            RedisTokenStampsProvider(),
            AssessmentsSqlProvider(),
            CoursesHttpProvider(),
            ProctoringProvider(),
            CredentialsProvider(keys_required=True),
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        return ASSESSMENTS_ROUTES

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
