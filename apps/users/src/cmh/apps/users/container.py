"""The Users service's composition: PostgreSQL, Redis, Kafka, Auth0, shared by the API
and the worker entry points."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from faststream.kafka import KafkaBroker
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.apps.users.settings import UsersServiceSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    KafkaProvider,
    PostgresLeaseProvider,
    RedisProvider,
    RedisTokenStampsProvider,
    ServiceName,
    SqlProvider,
)
from cmh.kernel.health import BrokerCheck, DatabaseCheck, HealthChecks, RedisCheck
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings
from cmh.kernel.web.auth import PrincipalProvider
from cmh.users.di import (
    Auth0SsoProvider,
    RecordingMailerProvider,
    RedisLoginFailuresProvider,
    UsersSecurityProvider,
    UsersSqlProvider,
    UsersUseCasesProvider,
)
from cmh.users.settings import UsersSettings

SERVICE = ServiceName("cloudmastershub/users")


class UsersHealthProvider(Provider):
    scope = Scope.APP

    @provide
    def checks(self, engine: AsyncEngine, redis: Redis, broker: KafkaBroker) -> HealthChecks:
        # Ready when its stores answer; the broker only degrades it (events wait in the outbox).
        return HealthChecks([DatabaseCheck(engine), RedisCheck(redis)], [BrokerCheck(broker)])


def build_container(settings: UsersServiceSettings, *overrides: Provider) -> AsyncContainer:
    return make_async_container(
        ClockProvider(),
        SqlProvider(),
        PostgresLeaseProvider(),
        KafkaProvider(),
        RedisProvider(),
        RedisTokenStampsProvider(),
        HttpClientProvider(),
        PrincipalProvider(),
        LitestarProvider(),
        UsersHealthProvider(),
        UsersSqlProvider(),
        UsersUseCasesProvider(),
        UsersSecurityProvider(),
        RedisLoginFailuresProvider(),
        RecordingMailerProvider(),
        Auth0SsoProvider(),
        *overrides,
        context={
            DatabaseSettings: settings.database,
            KafkaSettings: settings.kafka,
            RedisSettings: settings.redis,
            # The gateway reads the stamps of disabled or erased accounts from this Redis.
            TokenStampSettings: TokenStampSettings(url=settings.redis.url),
            ServiceName: SERVICE,
            TokenSettings: settings.tokens,
            UsersSettings: settings.users,
        },
    )
