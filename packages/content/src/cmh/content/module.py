"""Everything the Content context contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import Provider

from cmh.content.adapters.mongo.outbox import MongoOutboxRelay
from cmh.content.adapters.sql.tables import CONTENT_MIGRATIONS
from cmh.content.api import CONTENT_ROUTES, MEDIA_ROUTES
from cmh.content.application.integration_events import CONTENT_EVENTS
from cmh.content.consumers import subscriptions
from cmh.content.di import (
    ContentAwsProvider,
    ContentKernelUnitOfWorkProvider,
    ContentLocalProvider,
    ContentMemoryProvider,
    ContentMongoProvider,
    ContentSqlProvider,
    ContentUseCasesProvider,
)
from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    JwksAuthProvider,
    KafkaProvider,
    RedisTokenStampsProvider,
)
from cmh.kernel.health import BrokerCheck, DatabaseCheck, MongoCheck
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


class ContentModule(ContextModule):
    """Media assets: uploads, processing into renditions, signed playback URLs.

    memory: in-memory assets and objects, a scripted transcoder.
    embedded: SQLite metadata (one transaction with the outbox), files under the data
    folder served by ``MEDIA_ROUTES`` with HMAC-signed URLs, PyAV transcoding.
    distributed: MongoDB metadata with its own outbox, Kafka, S3 + CloudFront
    (``object_storage="s3"``) or the local filesystem; tokens checked against the JWKS.
    """

    name = "content"
    migrations = CONTENT_MIGRATIONS  # the embedded profile's SQL tables
    events = CONTENT_EVENTS

    def __init__(self, *, object_storage: str = "local") -> None:
        self._object_storage = object_storage

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [ClockProvider(), ContentUseCasesProvider(), *web_entrypoints()]
        if profile is Profile.MEMORY:
            return [*core, ContentMemoryProvider(), ContentKernelUnitOfWorkProvider()]
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                HttpClientProvider(),
                ContentSqlProvider(),
                ContentKernelUnitOfWorkProvider(),
                ContentLocalProvider(),
            ]
        storage = ContentAwsProvider() if self._object_storage == "s3" else ContentLocalProvider()
        return [
            *core,
            KafkaProvider(),
            HttpClientProvider(),
            JwksAuthProvider(),
            RedisTokenStampsProvider(),
            ContentMongoProvider(),
            storage,
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        if profile is Profile.DISTRIBUTED and self._object_storage == "s3":
            return CONTENT_ROUTES
        return [*CONTENT_ROUTES, *MEDIA_ROUTES]  # the signed media server for local files

    def subscriptions(self) -> Sequence[Subscription]:
        return subscriptions()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        if profile is Profile.DISTRIBUTED:
            return (MongoOutboxRelay,)  # its outbox lives in the asset documents
        return () if profile is Profile.MEMORY else (OutboxRelay,)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.DISTRIBUTED:
            return Health(ready=(MongoCheck,), signals=(BrokerCheck,))
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()
