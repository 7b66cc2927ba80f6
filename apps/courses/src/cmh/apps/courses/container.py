"""The Courses service's composition: PostgreSQL (catalog, enrollments, progress, full-text
search), MongoDB/FerretDB (lesson content), Redis (catalog cache), Kafka, the users and
content services over HTTP and token verification against the users service's JWKS.
Shared by the API and the worker entry points."""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.apps.courses.settings import CoursesServiceSettings
from cmh.courses.di import (
    CoursesHttpClientsProvider,
    CoursesMongoProvider,
    CoursesSqlProvider,
    CoursesUseCasesProvider,
    PostgresSearchProvider,
)
from cmh.courses.settings import MongoSettings, ServiceClientSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    JwksAuthProvider,
    KafkaProvider,
    PostgresLeaseProvider,
    RedisProvider,
    ServiceName,
    SqlProvider,
)
from cmh.kernel.health import BrokerCheck, DatabaseCheck, HealthChecks, RedisCheck
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings
from cmh.kernel.web.auth import PrincipalProvider

SERVICE = ServiceName("cloudmastershub/courses")


class MongoCheck:
    name = "mongo"

    def __init__(self, client: AsyncMongoClient[dict[str, Any]]) -> None:
        self._client = client

    async def check(self) -> None:
        await self._client.admin.command("ping")


class CoursesHealthProvider(Provider):
    scope = Scope.APP

    @provide
    def checks(
        self,
        engine: AsyncEngine,
        redis: Redis,
        broker: KafkaBroker,
        mongo: AsyncMongoClient[dict[str, Any]],
    ) -> HealthChecks:
        # Ready when its stores answer; the broker only degrades it (events wait in the outbox).
        return HealthChecks(
            [DatabaseCheck(engine), RedisCheck(redis), MongoCheck(mongo)], [BrokerCheck(broker)]
        )


def build_container(settings: CoursesServiceSettings, *overrides: Provider) -> AsyncContainer:
    return make_async_container(
        ClockProvider(),
        SqlProvider(),
        PostgresLeaseProvider(),
        KafkaProvider(),
        RedisProvider(),
        HttpClientProvider(),
        JwksAuthProvider(settings.resolved_jwks_url),
        PrincipalProvider(),
        LitestarProvider(),
        CoursesHealthProvider(),
        CoursesSqlProvider(),
        CoursesMongoProvider(),
        PostgresSearchProvider(),
        CoursesHttpClientsProvider(),
        CoursesUseCasesProvider(),
        *overrides,
        context={
            DatabaseSettings: settings.database,
            KafkaSettings: settings.kafka,
            RedisSettings: settings.redis,
            MongoSettings: settings.mongo,
            ServiceClientSettings: settings.services,
            ServiceName: SERVICE,
            TokenSettings: settings.tokens,
        },
    )
