"""The Content service's composition: asset metadata and its outbox in MongoDB/FerretDB,
S3 + CloudFront or the local filesystem for the bytes (``CMH_CONTENT_STORAGE``), Kafka,
and token verification against the users service's JWKS. Shared by API and worker."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide
from dishka.integrations.litestar import LitestarProvider
from faststream.kafka import KafkaBroker

from cmh.apps.content.settings import ContentServiceSettings
from cmh.content.di import (
    ContentAwsProvider,
    ContentLocalProvider,
    ContentMongoProvider,
    ContentSettings,
    ContentUseCasesProvider,
    MongoDatabase,
)
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import ClockProvider, HttpClientProvider, JwksAuthProvider, KafkaProvider
from cmh.kernel.health import BrokerCheck, HealthChecks
from cmh.kernel.settings import KafkaSettings
from cmh.kernel.web.auth import PrincipalProvider


class MongoCheck:
    name = "mongo"

    def __init__(self, db: MongoDatabase) -> None:
        self._db = db

    async def check(self) -> None:
        await self._db.command("ping")


class ContentHealthProvider(Provider):
    scope = Scope.APP

    @provide
    def checks(self, db: MongoDatabase, broker: KafkaBroker) -> HealthChecks:
        # Ready when its store answers; the broker only degrades it (events wait in the outbox).
        return HealthChecks([MongoCheck(db)], [BrokerCheck(broker)])


def storage_provider(settings: ContentServiceSettings) -> Provider:
    """The one place that turns ``CMH_CONTENT_STORAGE`` into adapters."""
    return ContentAwsProvider() if settings.content_storage == "s3" else ContentLocalProvider()


def build_container(settings: ContentServiceSettings, *overrides: Provider) -> AsyncContainer:
    return make_async_container(
        ClockProvider(),
        KafkaProvider(),
        HttpClientProvider(),
        JwksAuthProvider(settings.resolved_jwks_url),
        PrincipalProvider(),
        LitestarProvider(),
        ContentHealthProvider(),
        ContentMongoProvider(),
        storage_provider(settings),
        ContentUseCasesProvider(),
        *overrides,
        context={
            ContentSettings: settings.content,
            KafkaSettings: settings.kafka,
            TokenSettings: settings.tokens,
        },
    )
