"""Everything the Forum context contributes to a process (see ``cmh.kernel.module``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dishka import AsyncContainer, Provider

from cmh.forum.api import FORUM_ROUTES
from cmh.forum.application.integration_events import FORUM_EVENTS
from cmh.forum.application.open_course_board import OpenGeneralBoard
from cmh.forum.consumers import subscriptions
from cmh.forum.di import (
    CoursesStandInProvider,
    ForumMemoryProvider,
    ForumMemoryStoresProvider,
    ForumUseCasesProvider,
    HandleDirectoryProvider,
    MemorySearchProvider,
)
from cmh.kernel.di import ClockProvider
from cmh.kernel.health import DatabaseCheck
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


class ForumModule(ContextModule):
    """Course boards, threads and replies, reactions, answers, mentions, moderation, search.

    memory: in-memory boards, threads and search, a courses stand-in, handles as user ids.
    embedded: the same stores in process (the forum's data lives as long as the process),
    its events through the platform's SQL outbox and in-process bus; courses through the
    platform's in-process bridge.
    """

    name = "forum"
    events = FORUM_EVENTS

    def providers(self, profile: Profile) -> Sequence[Provider]:
        core = [
            ClockProvider(),
            ForumUseCasesProvider(),
            HandleDirectoryProvider(),
            *web_entrypoints(),
        ]
        if profile is Profile.MEMORY:
            return [
                *core,
                ForumMemoryProvider(),
                CoursesStandInProvider(),
                MemorySearchProvider(),
            ]
        return [
            *core,
            *sql_outbox_and_bus(profile),
            ForumMemoryStoresProvider(),
            CoursesStandInProvider(),
            MemorySearchProvider(),
        ]

    def routes(self, profile: Profile) -> Sequence[Any]:
        return FORUM_ROUTES

    def subscriptions(self) -> Sequence[Subscription]:
        return subscriptions()

    def relays(self, profile: Profile) -> Sequence[type[Relay]]:
        return () if profile is Profile.MEMORY else (OutboxRelay,)

    def health(self, profile: Profile) -> Health:
        if profile is Profile.EMBEDDED:
            return Health(ready=(DatabaseCheck,))
        return Health()

    async def prepare(
        self, profile: Profile, container: AsyncContainer, progress: Progress
    ) -> None:
        progress("opening the general forum board")
        async with container() as request:
            await (await request.get(OpenGeneralBoard)).execute()
