"""Everything the Forum context contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer, Provider

from cmh.forum.adapters.mongo.outbox import MongoOutboxRelay
from cmh.forum.adapters.sql.migrations import FORUM_MIGRATIONS
from cmh.forum.api import FORUM_ROUTES
from cmh.forum.application.integration_events import FORUM_EVENTS
from cmh.forum.application.open_course_board import OpenGeneralBoard
from cmh.forum.application.rebuild_search_index import RebuildSearchIndex
from cmh.forum.consumers import subscriptions
from cmh.forum.di import (
    AlgoliaSearchProvider,
    CoursesHttpProvider,
    CoursesStandInProvider,
    ElasticsearchSearchProvider,
    ForumMemoryProvider,
    ForumMongoProvider,
    ForumSqlProvider,
    ForumUseCasesProvider,
    MemorySearchProvider,
    UsersHttpProvider,
    UsersStandInProvider,
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
    Progress,
    sql_outbox_and_bus,
    web_entrypoints,
)
from cmh.kernel.sql.outbox import OutboxRelay

SEARCH_PROVIDERS: dict[str, type[Provider]] = {
    "memory": MemorySearchProvider,
    "elasticsearch": ElasticsearchSearchProvider,
    "algolia": AlgoliaSearchProvider,
}


class ForumModule(ContextModule):
    """Course boards, threads and replies, reactions, answers, mentions, moderation, search.

    memory: in-memory boards, threads and search, courses and users stand-ins.
    embedded: boards and threads as JSON documents in the platform's SQLite (they survive a
    restart), committed with their events in the platform's SQL outbox (in-process bus);
    courses and users (@mentions by email address) through the platform's in-process
    bridges.
    distributed: MongoDB (a thread document carries its outbox), Kafka, courses and users
    (mention lookups with the forum's service token) over HTTP,
    tokens checked against the JWKS; search in Elasticsearch (``search="elasticsearch"``),
    Algolia (``"algolia"``) or in process.
    """

    name = "forum"
    events = FORUM_EVENTS
    migrations = FORUM_MIGRATIONS  # the embedded profile's SQL tables

    def __init__(self, search: str = "memory") -> None:
        if search not in SEARCH_PROVIDERS:
            raise ValueError(f"unknown forum search {search!r}: one of {sorted(SEARCH_PROVIDERS)}")
        self.search = search

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [
            ClockProvider(),
            ForumUseCasesProvider(),
            *web_entrypoints(),
        ]
        if profile is Profile.MEMORY:
            return [
                *core,
                ForumMemoryProvider(),
                CoursesStandInProvider(),
                UsersStandInProvider(),
                MemorySearchProvider(),
            ]
        search = SEARCH_PROVIDERS[self.search]()
        if profile is Profile.EMBEDDED:
            return [
                *core,
                *sql_outbox_and_bus(profile),
                ForumSqlProvider(),
                CoursesStandInProvider(),
                UsersStandInProvider(),
                search,
            ]
        return [
            *core,
            KafkaProvider(),
            HttpClientProvider(),
            JwksAuthProvider(),
            RedisTokenStampsProvider(),
            ForumMongoProvider(),
            CoursesHttpProvider(),
            UsersHttpProvider(),
            search,
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        return FORUM_ROUTES

    def subscriptions(self) -> Sequence[Subscription]:
        return subscriptions()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        if profile is Profile.DISTRIBUTED:
            return (MongoOutboxRelay,)  # its outbox lives in the thread documents
        return () if profile is Profile.MEMORY else (OutboxRelay,)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.DISTRIBUTED:
            return Health(ready=(MongoCheck,), signals=(BrokerCheck,))
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()

    async def prepare(
        self, profile: Profile, container: AsyncContainer, progress: Progress
    ) -> None:
        progress("opening the general forum board")
        async with container() as request:
            await (await request.get(OpenGeneralBoard)).execute()
        if profile is Profile.EMBEDDED and self.search == "memory":
            # The posts outlive the process; its in-process index does not.
            async with container() as request:
                posts = await (await request.get(RebuildSearchIndex)).execute()
            progress(f"forum search: {posts} stored post(s) indexed")
