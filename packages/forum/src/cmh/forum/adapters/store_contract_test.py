"""One contract for the forum's stores (+ their unit of work): in memory, SQLite (the
embedded profile, with the kernel's SQL unit of work) and MongoDB (FerretDB in the tests);
and each outbox: events ride in the thread document (MongoDB) or in the kernel's outbox
table, in the same transaction as the change (SQL), and a stale copy is refused."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.contracts.events.base import decode_envelope
from cmh.forum.adapters.memory.stores import MemoryBoardStore, MemoryReadMarks, MemoryThreadStore
from cmh.forum.adapters.mongo.documents import THREADS, ensure_indexes
from cmh.forum.adapters.mongo.outbox import MongoOutboxRelay
from cmh.forum.adapters.mongo.stores import MongoBoardStore, MongoReadMarks, MongoThreadStore
from cmh.forum.adapters.mongo.unit_of_work import (
    ForumOutboxWakeup,
    MongoForumUnitOfWork,
    StaleDocument,
)
from cmh.forum.adapters.sql.migrations import FORUM_MIGRATIONS
from cmh.forum.adapters.sql.stores import SqlBoardStore, SqlReadMarks, SqlThreadStore
from cmh.forum.application.integration_events import FORUM_EVENTS
from cmh.forum.application.ports import BoardStore, ReadMarks, ThreadStore
from cmh.forum.domain.actor import Actor
from cmh.forum.domain.board import Board
from cmh.forum.domain.thread import Text, Thread
from cmh.kernel.clock import FrozenClock, SequentialIds
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.tables import outbox
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork
from cmh_testing.kernel.servers import mongo_url

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ANA = Actor("ana", member=True)
BEN = Actor("ben", member=True)


@dataclass
class Stores:
    open: Callable[[], tuple[BoardStore, ThreadStore, UnitOfWork]]
    marks: ReadMarks


async def fresh_db() -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_url(), tz_aware=True, serverSelectionTimeoutMS=5000
    )
    db = client[f"forum_test_{uuid.uuid4().hex[:10]}"]
    await ensure_indexes(db)
    yield db
    await client.drop_database(db.name)
    await client.close()


@pytest.fixture
async def mongo_db() -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    async for db in fresh_db():
        yield db


def mongo_stores(db: AsyncDatabase[dict[str, Any]]) -> Stores:
    def open_() -> tuple[BoardStore, ThreadStore, UnitOfWork]:
        uow = MongoForumUnitOfWork(
            db, FrozenClock(NOW), SequentialIds(), "test", ForumOutboxWakeup(), FORUM_EVENTS
        )
        return MongoBoardStore(db, uow), MongoThreadStore(db, uow), uow

    return Stores(open=open_, marks=MongoReadMarks(db))


async def sqlite_sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/forum.db"))
    await upgrade(engine, [KERNEL_MIGRATIONS, FORUM_MIGRATIONS])
    yield make_session_factory(engine)
    await engine.dispose()


def sqlite_stores(sessions: async_sessionmaker[AsyncSession], opened: list[AsyncSession]) -> Stores:
    ids = SequentialIds("evt")

    def open_() -> tuple[BoardStore, ThreadStore, UnitOfWork]:
        session = sessions()
        opened.append(session)
        uow = SqlUnitOfWork(session, FrozenClock(NOW), ids, "test", OutboxWakeup(), FORUM_EVENTS)
        return SqlBoardStore(session, uow), SqlThreadStore(session, uow), uow

    return Stores(open=open_, marks=SqlReadMarks(sessions))


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[tuple[Stores, async_sessionmaker[AsyncSession]]]:
    opened: list[AsyncSession] = []
    async for sessions in sqlite_sessions(tmp_path):
        yield sqlite_stores(sessions, opened), sessions
        for session in opened:
            await session.close()


@pytest.fixture(params=["memory", "sqlite", pytest.param("mongo", marks=pytest.mark.integration)])
async def stores(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stores]:
    if request.param == "memory":
        boards, threads = MemoryBoardStore(), MemoryThreadStore()
        uow = InMemoryUnitOfWork(events=FORUM_EVENTS)
        yield Stores(open=lambda: (boards, threads, uow), marks=MemoryReadMarks())
        return
    if request.param == "sqlite":
        opened: list[AsyncSession] = []
        async for sessions in sqlite_sessions(tmp_path):
            yield sqlite_stores(sessions, opened)
            for session in opened:
                await session.close()
        return
    async for db in fresh_db():
        yield mongo_stores(db)


def text(markdown: str) -> Text:
    return Text(markdown=markdown, html=f"<p>{markdown}</p>")


async def seeded(stores: Stores) -> Thread:
    boards, threads, uow = stores.open()
    board = Board.open("b1", "c1", "Cloud 101", NOW)
    board.ban(Actor("root", admin=True), "eve", NOW + timedelta(days=1), "spam", NOW)
    thread = Thread.start(
        thread_id="t1",
        post_id="p1",
        board=board,
        author=ANA,
        title="Which region?",
        body=text("eu or us"),
        mentions=("ben",),
        now=NOW,
    )
    thread.reply(
        post_id="p2", board=board, author=BEN, body=text("eu"), mentions=(), parent_id=None,
        now=NOW + timedelta(minutes=1),
    )  # fmt: skip
    thread.react(post_id="p2", user_id="cy", kind="like")
    async with uow:
        await boards.save(board)
        await threads.save(thread)
        uow.track(board)
        uow.track(thread)
        await uow.commit()
    return thread


async def test_what_is_saved_reads_back_the_same(stores: Stores) -> None:
    saved = await seeded(stores)
    boards, threads, _ = stores.open()
    board = await boards.get("b1")
    assert board is not None
    assert board.banned("eve", NOW)
    assert [b.id for b in await boards.list("c1")] == ["b1"]
    assert await boards.list("nope") == []
    thread = await threads.get("t1")
    assert thread == saved
    assert thread is not None
    assert thread.posts[1].reactions == {"like": {"cy"}}
    assert (await threads.find_by_post("p2")) == saved
    assert await threads.find_by_post("nope") is None
    assert [t.id for t in await threads.on_board("b1")] == ["t1"]
    assert [t.id for t in await threads.with_user("cy")] == ["t1"]
    assert await threads.with_user("zed") == []
    recent = await threads.recent_posts_by("ben", NOW)
    assert [r.at for r in recent] == [NOW + timedelta(minutes=1)]


async def test_a_change_saves_over_the_stored_copy(stores: Stores) -> None:
    await seeded(stores)
    _, threads, uow = stores.open()
    thread = await threads.get("t1")
    assert thread is not None
    thread.pin(moderator=Actor("root", admin=True), pinned=True, reason="faq", now=NOW)
    async with uow:
        await threads.save(thread)
        uow.track(thread)
        await uow.commit()
    again = await threads.get("t1")
    assert again is not None
    assert again.pinned


async def test_read_marks_keep_the_latest_per_reader_and_thread(stores: Stores) -> None:
    marks = stores.marks
    await marks.mark_read("ana", "t1", NOW)
    await marks.mark_read("ana", "t1", NOW - timedelta(hours=1))
    await marks.mark_read("ana", "t2", NOW + timedelta(minutes=1))
    await marks.mark_read("ben", "t1", NOW + timedelta(hours=1))
    assert await marks.last_read("ana", ["t1", "t2", "t3"]) == {
        "t1": NOW,
        "t2": NOW + timedelta(minutes=1),
    }


async def test_mongo_refuses_a_stale_copy_and_relays_the_outbox_once(
    mongo_db: AsyncDatabase[dict[str, Any]],
) -> None:
    stores = mongo_stores(mongo_db)
    await seeded(stores)
    doc = await mongo_db[THREADS].find_one({"_id": "t1"})
    assert doc is not None
    assert [e["event_type"] for e in doc["outbox"]] == [
        "forum.post_created",
        "forum.user_mentioned",
        "forum.reply_created",
    ]
    _, threads, uow = stores.open()
    first, second = await threads.get("t1"), await threads.get("t1")
    assert first is not None
    assert second is not None
    for copy_, stale in ((first, False), (second, True)):
        copy_.follow("dan")
        async with uow:
            await threads.save(copy_)
            if stale:
                with pytest.raises(StaleDocument):
                    await uow.commit()
            else:
                await uow.commit()
    sent: list[OutgoingMessage] = []

    class Keeping:
        async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
            sent.extend(messages)

    relay = MongoOutboxRelay(mongo_db, Keeping(), ForumOutboxWakeup())
    assert await relay.drain() == 3
    assert await relay.drain() == 0
    assert [m.topic for m in sent] == ["forum.post"] * 3
    assert {m.key for m in sent} == {"t1"}
    assert decode_envelope(sent[1].payload).type == "forum.user_mentioned"


async def test_sqlite_refuses_a_stale_copy_and_commits_the_events_with_the_thread(
    sqlite: tuple[Stores, async_sessionmaker[AsyncSession]],
) -> None:
    stores, sessions = sqlite
    await seeded(stores)
    async with sessions() as session:
        types = (await session.scalars(select(outbox.c.event_type).order_by(outbox.c.seq))).all()
    assert list(types) == ["forum.post_created", "forum.user_mentioned", "forum.reply_created"]
    _, threads, _ = stores.open()
    first, second = await threads.get("t1"), await threads.get("t1")
    assert first is not None
    assert second is not None
    for copy_, stale in ((first, False), (second, True)):
        _, threads, uow = stores.open()
        copy_.follow("dan")
        async with uow:
            if stale:
                with pytest.raises(StaleDocument):
                    await threads.save(copy_)
            else:
                await threads.save(copy_)
                await uow.commit()
    # A failed change leaves nothing behind: no half-written thread, no event.
    _, threads, _ = stores.open()
    again = await threads.get("t1")
    assert again is not None
    assert again.version == 2
    assert [t.id for t in await threads.with_user("dan")] == ["t1"]


async def test_mongo_relay_leaves_a_thread_saved_while_it_published_as_saved(
    mongo_db: AsyncDatabase[dict[str, Any]],
) -> None:
    # A reply saved between the relay's read and its pull: the pull must not write the
    # older thread back (FerretDB applies an update as a read and a write of the whole
    # document); the entries stay and go out again next round, which inboxes skip.
    stores = mongo_stores(mongo_db)
    await seeded(stores)
    sent: list[OutgoingMessage] = []

    class ReplyArrivesMeanwhile:
        async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
            if not sent:
                _, threads, uow = stores.open()
                thread = await threads.get("t1")
                assert thread is not None
                thread.follow("erin")
                async with uow:
                    await threads.save(thread)
                    await uow.commit()
            sent.extend(messages)

    relay = MongoOutboxRelay(mongo_db, ReplyArrivesMeanwhile(), ForumOutboxWakeup())
    assert await relay.run_once() == 0  # published, but the thread changed: nothing pulled
    doc = await mongo_db[THREADS].find_one({"_id": "t1"})
    assert doc is not None
    assert "erin" in doc["followers"]
    assert len(doc["outbox"]) == 3
    assert await relay.drain() == 3
    assert (await mongo_db[THREADS].find_one({"_id": "t1"}) or {}).get("outbox") == []
    assert "erin" in ((await mongo_db[THREADS].find_one({"_id": "t1"})) or {})["followers"]
