"""dishka providers for the content context, one per adapter family.

A composition root picks: one metadata family (``ContentMongoProvider``,
``ContentSqlProvider`` + ``ContentKernelUnitOfWorkProvider``, or for tests
``ContentMemoryProvider`` + ``ContentKernelUnitOfWorkProvider``), one storage family
(``ContentAwsProvider`` or ``ContentLocalProvider``) and ``ContentUseCasesProvider``,
and passes ``ContentSettings`` in the container context. Every provider also expects
the kernel's ``ClockProvider`` (Clock, IdGenerator). Nothing is built at import time.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from dishka import Provider, Scope, alias, provide, provide_all
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.content.adapters.cloudfront.signer import CloudFrontUrlSigner, load_rsa_private_key
from cmh.content.adapters.local.signer import LocalUrlSigner
from cmh.content.adapters.local.storage import FilesystemObjectStorage
from cmh.content.adapters.memory.assets import MemoryAssetRepository
from cmh.content.adapters.memory.signer import MemoryUrlSigner
from cmh.content.adapters.memory.storage import MemoryObjectStorage
from cmh.content.adapters.memory.transcoder import ScriptedTranscoder
from cmh.content.adapters.mongo.assets import MongoAssetRepository, ensure_indexes
from cmh.content.adapters.mongo.outbox import MongoOutboxRelay
from cmh.content.adapters.mongo.unit_of_work import ContentOutboxWakeup, MongoUnitOfWork
from cmh.content.adapters.pyav.transcoder import PyAvTranscoder
from cmh.content.adapters.s3.storage import S3ObjectStorage
from cmh.content.adapters.sql.assets import SqlAssetRepository
from cmh.content.application.anonymise_owner import AnonymiseOwner
from cmh.content.application.attach_asset import AttachAsset
from cmh.content.application.common import LinkLifetimes
from cmh.content.application.confirm_upload import ConfirmUpload
from cmh.content.application.get_asset import GetAsset
from cmh.content.application.playback_url import PlaybackUrl
from cmh.content.application.ports import (
    AssetRepository,
    ContentUnitOfWork,
    ObjectStorage,
    Transcoder,
    UrlSigner,
)
from cmh.content.application.process_asset import ProcessAsset
from cmh.content.application.register_asset import RegisterAsset
from cmh.content.consumers.handlers import AssetUploadedHandler, UserErasureHandler
from cmh.content.settings import ContentSettings
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.health import MongoCheck
from cmh.kernel.messaging.ports import EventPublisher
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork

CONTENT_SOURCE = "cloudmastershub/content"
MongoClient = AsyncMongoClient[dict[str, Any]]
MongoDatabase = AsyncDatabase[dict[str, Any]]


class ContentMongoProvider(Provider):
    """Needs: ContentSettings, Clock, IdGenerator, EventPublisher (for the relay).
    Gives: AssetRepository + ContentUnitOfWork (request), MongoOutboxRelay (app; the
    worker runs ``relay.run(stop)``), the database handle."""

    scope = Scope.APP
    wakeup = provide(ContentOutboxWakeup)
    check = provide(MongoCheck)

    @provide
    async def client(self, settings: ContentSettings) -> AsyncIterator[MongoClient]:
        client: MongoClient = AsyncMongoClient(settings.mongo_url, tz_aware=True)
        yield client
        await client.close()

    @provide
    async def database(self, client: MongoClient, settings: ContentSettings) -> MongoDatabase:
        db = client[settings.mongo_db]
        await ensure_indexes(db)
        return db

    @provide
    def relay(
        self, db: MongoDatabase, publisher: EventPublisher, wakeup: ContentOutboxWakeup
    ) -> MongoOutboxRelay:
        return MongoOutboxRelay(db, publisher, wakeup)

    @provide(scope=Scope.REQUEST)
    def unit_of_work(
        self,
        db: MongoDatabase,
        clock: Clock,
        ids: IdGenerator,
        wakeup: ContentOutboxWakeup,
        events: EventMap,
    ) -> MongoUnitOfWork:
        return MongoUnitOfWork(db, clock, ids, CONTENT_SOURCE, wakeup, events)

    content_uow = alias(source=MongoUnitOfWork, provides=ContentUnitOfWork)
    # What the kernel's consumer runner claims the inbox with.
    kernel_uow = alias(source=MongoUnitOfWork, provides=UnitOfWork)

    @provide(scope=Scope.REQUEST)
    def assets(self, db: MongoDatabase, uow: MongoUnitOfWork) -> AssetRepository:
        return MongoAssetRepository(db, uow)


class ContentMemoryProvider(Provider):
    """In-memory assets, objects and signer, and a scripted transcoder (memory profile,
    tests). The repository stages its writes in the kernel ``InMemoryUnitOfWork`` given
    here as the ``UnitOfWork`` (add ``ContentKernelUnitOfWorkProvider``)."""

    scope = Scope.APP
    assets = provide(MemoryAssetRepository, provides=AssetRepository)
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)
    memory_storage = provide(MemoryObjectStorage)
    storage = alias(source=MemoryObjectStorage, provides=ObjectStorage)
    signer = alias(source=MemoryUrlSigner, provides=UrlSigner)
    transcoder = alias(source=ScriptedTranscoder, provides=Transcoder)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(CONTENT_SOURCE, events)

    @provide
    def memory_signer(self) -> MemoryUrlSigner:
        return MemoryUrlSigner()

    @provide
    def scripted_transcoder(self) -> ScriptedTranscoder:
        return ScriptedTranscoder()


class ContentSqlProvider(Provider):
    """Needs: the kernel ``SqlProvider`` (AsyncSession) and ``CONTENT_MIGRATIONS``. Gives:
    AssetRepository in SQL, on the request's session (embedded profile: durable without
    MongoDB). Pair it with ``ContentKernelUnitOfWorkProvider``: the asset change and its
    events then commit in one SQL transaction."""

    scope = Scope.REQUEST

    @provide
    def assets(self, session: AsyncSession, uow: UnitOfWork) -> AssetRepository:
        return SqlAssetRepository(session, uow)


class ContentKernelUnitOfWorkProvider(Provider):
    """Needs: the kernel's UnitOfWork (``SqlProvider``'s, or a test's ``InMemoryUnitOfWork``).
    Gives: ContentUnitOfWork."""

    scope = Scope.REQUEST
    content_uow = alias(source=UnitOfWork, provides=ContentUnitOfWork)


class ContentAwsProvider(Provider):
    """Needs: ContentSettings (bucket, region, endpoint, CloudFront domain, key pair id,
    private key PEM), Clock. Gives: ObjectStorage (S3), UrlSigner (CloudFront), Transcoder
    (``PyAvTranscoder``: FFmpeg in the worker process, reading and writing S3)."""

    scope = Scope.APP

    @provide
    def storage(self, settings: ContentSettings, clock: Clock) -> ObjectStorage:
        client = boto3.client(
            "s3",
            region_name=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url or None,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )
        return S3ObjectStorage(client, settings.s3_bucket, clock)

    @provide
    def signer(self, settings: ContentSettings) -> UrlSigner:
        key = load_rsa_private_key(settings.cloudfront_private_key_pem)
        return CloudFrontUrlSigner(settings.cloudfront_domain, settings.cloudfront_key_pair_id, key)

    @provide
    def transcoder(self, storage: ObjectStorage, settings: ContentSettings) -> Transcoder:
        return PyAvTranscoder(storage, settings.transcode_limits())


class ContentLocalProvider(Provider):
    """Needs: ContentSettings (media dir, signing secret, public base URL). Gives:
    ObjectStorage (files under the media dir), UrlSigner (HMAC, for MEDIA_ROUTES), the
    concrete LocalUrlSigner and FilesystemObjectStorage the media routes use, Transcoder
    (``PyAvTranscoder``: real H.264 renditions, encoded in-process)."""

    scope = Scope.APP

    @provide
    def local_signer(self, settings: ContentSettings) -> LocalUrlSigner:
        secret = settings.local_signing_secret.encode() or secrets.token_bytes(32)
        return LocalUrlSigner(secret, settings.public_base_url)

    @provide
    def filesystem(
        self, settings: ContentSettings, signer: LocalUrlSigner
    ) -> FilesystemObjectStorage:
        return FilesystemObjectStorage(Path(settings.local_media_dir), signer)

    signer = alias(source=LocalUrlSigner, provides=UrlSigner)
    storage = alias(source=FilesystemObjectStorage, provides=ObjectStorage)

    @provide
    def transcoder(self, storage: ObjectStorage, settings: ContentSettings) -> Transcoder:
        return PyAvTranscoder(storage, settings.transcode_limits())


class ContentUseCasesProvider(Provider):
    """Needs: ContentSettings, Clock, IdGenerator and one provider of each port family.
    Gives: every use case and the two event handlers, per request."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def link_lifetimes(self, settings: ContentSettings) -> LinkLifetimes:
        return LinkLifetimes(
            upload=timedelta(seconds=settings.upload_ttl_seconds),
            playback=timedelta(seconds=settings.playback_ttl_seconds),
        )

    commands = provide_all(RegisterAsset, ConfirmUpload, ProcessAsset, AttachAsset, AnonymiseOwner)
    queries = provide_all(GetAsset, PlaybackUrl)
    handlers = provide_all(AssetUploadedHandler, UserErasureHandler)
