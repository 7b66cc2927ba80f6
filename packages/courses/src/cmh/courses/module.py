"""Everything the Courses context contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer, Provider

from cmh.courses.adapters.sql.migrations import COURSES_MIGRATIONS
from cmh.courses.api import COURSES_ROUTES
from cmh.courses.application.integration_events import COURSES_EVENTS
from cmh.courses.application.reindex_catalog import ReindexCatalog
from cmh.courses.consumers import subscriptions
from cmh.courses.di import (
    CoursesHttpClientsProvider,
    CoursesMemoryProvider,
    CoursesMongoProvider,
    CoursesSqlContentProvider,
    CoursesSqlProvider,
    CoursesStandInsProvider,
    CoursesUseCasesProvider,
    ElasticsearchSearchProvider,
    MemorySearchProvider,
    PostgresSearchProvider,
)
from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    JwksAuthProvider,
    MemoryCacheProvider,
    RedisProvider,
    RedisTokenStampsProvider,
)
from cmh.kernel.health import BrokerCheck, DatabaseCheck, MongoCheck, RedisCheck
from cmh.kernel.messaging.ports import Subscription
from cmh.kernel.messaging.relays import Relay
from cmh.kernel.module import (
    ContextModule,
    Health,
    Profile,
    Progress,
    sql_outbox_and_bus,
    web_entrypoints,
)
from cmh.kernel.sql.outbox import OutboxRelay


class CoursesModule(ContextModule):
    """Catalog, authoring, enrollment, progress and catalog search.

    memory: in-memory repositories, content and search; users/content stand-ins.
    embedded: SQLite (lesson content too), an in-process search index; the users and
    content ports are the platform's in-process bridges.
    distributed: PostgreSQL (full-text search too), MongoDB lesson content, Redis
    catalog cache, Kafka; users and content over HTTP; tokens checked against the JWKS.
    ``search="elasticsearch"`` makes an Elasticsearch index the distributed catalog search
    (``ElasticsearchSettings`` in the context; rebuilt from the catalog at start, then kept
    by the indexer consumer); PostgreSQL full text stays the default and the fallback.
    """

    name = "courses"
    migrations = COURSES_MIGRATIONS
    events = COURSES_EVENTS

    def __init__(self, search: str = "postgres") -> None:
        if search not in ("postgres", "elasticsearch"):
            raise ValueError(f"unknown course search {search!r}: postgres or elasticsearch")
        self.search = search

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [ClockProvider(), CoursesUseCasesProvider(), *web_entrypoints()]
        if profile is Profile.MEMORY:
            return [
                *core,
                CoursesMemoryProvider(),
                CoursesStandInsProvider(),
                MemorySearchProvider(),
                MemoryCacheProvider(),
            ]
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                MemoryCacheProvider(),
                HttpClientProvider(),
                CoursesSqlProvider(),
                CoursesSqlContentProvider(),  # lesson content survives restarts
                MemorySearchProvider(),
            ]
        return [
            *core,
            *sql_outbox_and_bus(profile),
            RedisProvider(),
            HttpClientProvider(),
            JwksAuthProvider(),
            RedisTokenStampsProvider(),
            CoursesSqlProvider(),
            CoursesMongoProvider(),
            ElasticsearchSearchProvider()
            if self.search == "elasticsearch"
            else PostgresSearchProvider(),
            CoursesHttpClientsProvider(),
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        return COURSES_ROUTES

    def subscriptions(self) -> Sequence[Subscription]:
        return subscriptions()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        return () if profile is Profile.MEMORY else (OutboxRelay,)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.DISTRIBUTED:
            # Ready when its stores answer; the broker only degrades it.
            return Health(ready=(DatabaseCheck, RedisCheck, MongoCheck), signals=(BrokerCheck,))
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()

    async def prepare(
        self, profile: Profile, container: AsyncContainer, progress: Progress
    ) -> None:
        if profile is Profile.DISTRIBUTED and self.search == "postgres":
            return  # PostgreSQL keeps the search documents; the indexer consumer updates them
        progress("indexing the course catalog for search")
        async with container() as request:
            await (await request.get(ReindexCatalog)).execute()
