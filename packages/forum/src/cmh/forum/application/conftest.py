"""Use cases against the in-memory stores, stand-ins and search (the memory profile's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from cmh.forum.adapters.markdown.renderer import MarkdownItRenderer
from cmh.forum.adapters.memory.stand_ins import MemoryCourseMembers, MemoryUserDirectory
from cmh.forum.adapters.memory.stores import MemoryBoardStore, MemoryReadMarks, MemoryThreadStore
from cmh.forum.adapters.search.memory import MemoryPostSearch
from cmh.forum.application.integration_events import FORUM_EVENTS
from cmh.forum.application.ports import PostSearch
from cmh.forum.application.post_reply import PostReply
from cmh.forum.application.start_thread import StartThread
from cmh.forum.application.tools import ForumTools
from cmh.forum.domain.board import Board
from cmh.kernel.clock import FrozenClock, SequentialIds
from cmh.kernel.uow import InMemoryUnitOfWork

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@dataclass
class Forum:
    tools: ForumTools
    members: MemoryCourseMembers
    uow: InMemoryUnitOfWork
    clock: FrozenClock
    search: PostSearch
    marks: MemoryReadMarks

    @property
    def start(self) -> StartThread:
        return StartThread(self.tools)

    @property
    def reply(self) -> PostReply:
        return PostReply(self.tools)


@pytest.fixture
async def forum() -> Forum:
    boards, threads = MemoryBoardStore(), MemoryThreadStore()
    await boards.save(Board.open("b1", "c1", "Cloud 101", NOW))
    members = MemoryCourseMembers()
    members.enroll("c1", "ana")
    members.enroll("c1", "ben")
    clock = FrozenClock(NOW)
    uow = InMemoryUnitOfWork("forum", FORUM_EVENTS)
    tools = ForumTools(
        boards,
        threads,
        members,
        MarkdownItRenderer(),
        MemoryUserDirectory({"ben": "ben"}),
        clock,
        SequentialIds(),
        uow,
    )
    return Forum(tools, members, uow, clock, MemoryPostSearch(), MemoryReadMarks())
