"""dishka providers for the kernel's adapters, one per adapter family.

A composition root picks one provider per family (SQLite or PostgreSQL lease, in-process
or Kafka bus, memory or Redis cache) and passes settings through the container context.
Nothing here is built at import time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import NewType

import httpx
from dishka import Provider, Scope, provide
from faststream.kafka import KafkaBroker
from msgspec.structs import replace
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from cmh.kernel.auth.authenticator import (
    Authenticator,
    CachedAuthenticator,
    JwksAuthenticator,
    StampCheckingAuthenticator,
)
from cmh.kernel.auth.revocation import (
    BrieflyCachedTokenStamps,
    MemoryTokenStamps,
    RedisTokenStamps,
    TokenStamps,
    TokenStampSettings,
)
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.cache import Cache, MemoryCache, RedisCache
from cmh.kernel.clock import Clock, IdGenerator, SystemClock, UuidGenerator
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.health import BrokerCheck, DatabaseCheck, RedisCheck
from cmh.kernel.messaging.inprocess import InProcessBus, InProcessParkedLetters
from cmh.kernel.messaging.kafka import (
    PRODUCER_ACKS,
    PRODUCER_IDEMPOTENCE,
    KafkaEventPublisher,
)
from cmh.kernel.messaging.kafka_parked import KafkaParkedLetters
from cmh.kernel.messaging.parked import ListDeadLetters, ParkedLetters
from cmh.kernel.messaging.ports import EventPublisher
from cmh.kernel.messaging.sources import per_context
from cmh.kernel.ratelimit import LimitsRateLimiter, RateLimiter, RedisRateLimiter
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.outbox import (
    LocalLease,
    OutboxRelay,
    OutboxWakeup,
    PostgresAdvisoryLease,
    RelayLease,
)
from cmh.kernel.sql.read_replica import PrimaryOnly, ReadRouting, ReplicaReads
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.kernel.telemetry.messaging import kafka_middlewares
from cmh.kernel.uow import UnitOfWork


class ClockProvider(Provider):
    scope = Scope.APP
    clock = provide(SystemClock, provides=Clock)
    ids = provide(UuidGenerator, provides=IdGenerator)


class SqlProvider(Provider):
    """Engine and sessions; the unit of work and the outbox relay over them. Each event
    carries its producing context as its source (``per_context``), whichever process
    hosts the context."""

    scope = Scope.APP
    wakeup = provide(OutboxWakeup)
    check = provide(DatabaseCheck)

    @provide
    async def engine(self, settings: DatabaseSettings) -> AsyncIterator[AsyncEngine]:
        engine = make_engine(settings)
        yield engine
        await engine.dispose()

    @provide
    def sessions(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return make_session_factory(engine)

    @provide
    def read_routing(self, sessions: async_sessionmaker[AsyncSession]) -> ReadRouting:
        return PrimaryOnly(sessions)

    @provide(scope=Scope.REQUEST)
    async def session(self, routing: ReadRouting) -> AsyncIterator[AsyncSession]:
        async with (await routing.sessions())() as session:
            yield session

    @provide(scope=Scope.REQUEST)
    def unit_of_work(
        self,
        session: AsyncSession,
        clock: Clock,
        ids: IdGenerator,
        wakeup: OutboxWakeup,
        events: EventMap,
        routing: ReadRouting,
    ) -> UnitOfWork:
        return SqlUnitOfWork(
            session, clock, ids, per_context(), wakeup, events, committed=routing.committed
        )

    @provide
    def relay(
        self,
        sessions: async_sessionmaker[AsyncSession],
        publisher: EventPublisher,
        lease: RelayLease,
        clock: Clock,
        wakeup: OutboxWakeup,
    ) -> OutboxRelay:
        return OutboxRelay(sessions, publisher, lease, clock, wakeup)


ReplicaEngine = NewType("ReplicaEngine", AsyncEngine)


class ReadReplicaProvider(Provider):
    """Read-only requests on the streaming replica at ``DatabaseSettings.read_url``, with
    read-your-writes kept in the ``Cache`` (Redis: shared by the service's instances).
    ``compose`` adds it when ``read_url`` is set; it replaces ``SqlProvider``'s routing."""

    scope = Scope.APP

    @provide
    async def replica_engine(self, settings: DatabaseSettings) -> AsyncIterator[ReplicaEngine]:
        engine = make_engine(replace(settings, url=settings.read_url, read_url=""))
        yield ReplicaEngine(engine)
        await engine.dispose()

    @provide(override=True)
    def read_routing(
        self, sessions: async_sessionmaker[AsyncSession], replica: ReplicaEngine, writes: Cache
    ) -> ReadRouting:
        return ReplicaReads(sessions, make_session_factory(replica), writes)


class LocalLeaseProvider(Provider):
    """One process owns the database (embedded profile, SQLite)."""

    scope = Scope.APP
    lease = provide(LocalLease, provides=RelayLease)


class PostgresLeaseProvider(Provider):
    scope = Scope.APP

    @provide
    def lease(self, engine: AsyncEngine) -> RelayLease:
        return PostgresAdvisoryLease(engine)


class InProcessBusProvider(Provider):
    """The bus instance is passed in so the app can ``bind`` it to the container."""

    scope = Scope.APP

    @provide
    def publisher(self, bus: InProcessBus) -> EventPublisher:
        return bus


class InProcessDeadLettersProvider(Provider):
    """What the in-process bus parked, for administrators (the embedded platform)."""

    scope = Scope.APP
    list_dead_letters = provide(ListDeadLetters)

    @provide
    def parked_letters(self, bus: InProcessBus) -> ParkedLetters:
        return InProcessParkedLetters(bus)


class KafkaDeadLettersProvider(Provider):
    """What the consumers parked on the ``<topic>.dlq`` topics, for administrators (the
    distributed profile: the service that serves the admin routes)."""

    scope = Scope.APP
    list_dead_letters = provide(ListDeadLetters)

    @provide
    def parked_letters(self, settings: KafkaSettings) -> ParkedLetters:
        return KafkaParkedLetters(settings.bootstrap_servers)


class KafkaProvider(Provider):
    scope = Scope.APP
    check = provide(BrokerCheck)

    @provide
    async def broker(self, settings: KafkaSettings) -> AsyncIterator[KafkaBroker]:
        broker = KafkaBroker(
            settings.bootstrap_servers,
            client_id=settings.client_id,
            acks=PRODUCER_ACKS,
            enable_idempotence=PRODUCER_IDEMPOTENCE,
            # FastStream's "Received" / "Processed" lines, two per message: DEBUG, not INFO.
            log_level=logging.DEBUG,
            middlewares=kafka_middlewares(),
        )
        yield broker
        # Whoever connected it (a worker, an API's readiness check), it closes with the app.
        await broker.stop()

    @provide
    def publisher(self, broker: KafkaBroker) -> EventPublisher:
        return KafkaEventPublisher(broker)


class MemoryCacheProvider(Provider):
    scope = Scope.APP

    @provide
    def cache(self) -> Cache:
        return MemoryCache()

    @provide
    def rate_limiter(self) -> RateLimiter:
        return LimitsRateLimiter.in_memory()


class RedisProvider(Provider):
    scope = Scope.APP
    check = provide(RedisCheck)

    @provide
    async def client(self, settings: RedisSettings) -> AsyncIterator[Redis]:
        client = Redis.from_url(settings.url)
        yield client
        await client.aclose()

    @provide
    def cache(self, client: Redis) -> Cache:
        return RedisCache(client)

    @provide
    def rate_limiter(self, client: Redis) -> RateLimiter:
        # The cache's client and pool: one connection pool per process, not one per use.
        return RedisRateLimiter(client)


class MemoryTokenStampsProvider(Provider):
    """Token stamps of one process (embedded profile, tests): seen at once. Pass
    ``stamps`` to write or read them from a test."""

    scope = Scope.APP

    def __init__(self, stamps: MemoryTokenStamps | None = None) -> None:
        super().__init__()
        self._stamps = stamps or MemoryTokenStamps()

    @provide
    def stamps(self) -> TokenStamps:
        return self._stamps


class RedisTokenStampsProvider(Provider):
    """Token stamps in the users service's Redis (``TokenStampSettings.url``): written by
    the users service, read by it and by the gateway, each answer kept briefly."""

    scope = Scope.APP

    @provide
    async def stamps(
        self, settings: TokenStampSettings, tokens: TokenSettings, clock: Clock
    ) -> AsyncIterator[TokenStamps]:
        client = Redis.from_url(settings.url)
        # A stamp must outlive every token it ends.
        keep = tokens.access_ttl_seconds + tokens.leeway_seconds + 60
        yield BrieflyCachedTokenStamps(
            RedisTokenStamps(client, keep_seconds=keep), clock, seconds=settings.cache_seconds
        )
        await client.aclose()


class HttpClientProvider(Provider):
    scope = Scope.APP

    @provide
    async def client(self) -> AsyncIterator[httpx.AsyncClient]:
        async with httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0)) as client:
            yield client


class JwksUrl(str):
    """Where services other than users fetch the users service's public keys."""


class JwksAuthProvider(Provider):
    """Services other than users verify tokens against the users service's JWKS
    (``JwksUrl`` in the container context), and refuse a token whose user's "tokens not
    before" stamp ended it (a disabled or erased account), also when called on their own
    port: ``TokenStamps`` from ``RedisTokenStampsProvider`` (or a memory one in tests)."""

    scope = Scope.APP

    @provide
    def authenticator(
        self,
        url: JwksUrl,
        settings: TokenSettings,
        clock: Clock,
        http: httpx.AsyncClient,
        stamps: TokenStamps,
    ) -> Authenticator:
        verified = CachedAuthenticator(JwksAuthenticator(str(url), settings, clock, http), clock)
        return StampCheckingAuthenticator(verified, stamps)
