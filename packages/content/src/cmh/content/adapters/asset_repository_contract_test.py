"""One contract for every AssetRepository (+ its unit of work): memory, SQLite (the
embedded profile) and MongoDB."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.content.adapters.memory.assets import MemoryAssetRepository
from cmh.content.adapters.mongo.assets import MongoAssetRepository, ensure_indexes
from cmh.content.adapters.mongo.outbox import MongoOutboxRelay
from cmh.content.adapters.mongo.unit_of_work import ContentOutboxWakeup, MongoUnitOfWork
from cmh.content.adapters.sql.assets import SqlAssetRepository
from cmh.content.adapters.sql.tables import CONTENT_MIGRATIONS
from cmh.content.application.integration_events import CONTENT_EVENTS
from cmh.content.application.ports import AssetRepository
from cmh.content.domain.asset import Asset, AssetKind, AssetStatus, Rendition
from cmh.content.domain.errors import StaleAsset
from cmh.contracts.events.base import decode_envelope
from cmh.kernel.clock import FrozenClock, SequentialIds
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork
from cmh_testing.kernel.servers import mongo_url

CLOCK = FrozenClock()


@dataclass
class Store:
    # A fresh repository and unit of work, as one request would get them.
    open: Callable[[], tuple[AssetRepository, UnitOfWork]]


def new_asset(asset_id: str, owner: str = "inst-1") -> Asset:
    return Asset.register(
        asset_id=asset_id,
        owner_id=owner,
        kind=AssetKind.VIDEO,
        filename="intro.mp4",
        content_type="video/mp4",
        size_bytes=10,
        now=CLOCK.now(),
    )


async def persist(store: Store, change: Callable[[AssetRepository], Awaitable[None]]) -> None:
    assets, uow = store.open()
    async with uow:
        await change(assets)
        await uow.commit()


@pytest.fixture
def memory_store() -> Store:
    uow = InMemoryUnitOfWork(events=CONTENT_EVENTS)
    assets = MemoryAssetRepository(uow)
    return Store(open=lambda: (assets, uow))


@pytest.fixture
async def mongo_db() -> AsyncIterator[Any]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_url(), tz_aware=True, serverSelectionTimeoutMS=5000
    )
    name = f"content_test_{uuid.uuid4().hex[:10]}"
    db = client[name]
    await ensure_indexes(db)
    yield db
    await client.drop_database(name)
    await client.close()


@pytest.fixture
def mongo_store(mongo_db: Any) -> Store:
    ids = SequentialIds("evt")

    def open_() -> tuple[AssetRepository, UnitOfWork]:
        uow = MongoUnitOfWork(mongo_db, CLOCK, ids, "test", ContentOutboxWakeup(), CONTENT_EVENTS)
        return MongoAssetRepository(mongo_db, uow), uow

    return Store(open=open_)


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[Store]:
    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path}/assets.db"))
    await upgrade(engine, [KERNEL_MIGRATIONS, CONTENT_MIGRATIONS])
    sessions = make_session_factory(engine)
    ids = SequentialIds("evt")
    opened: list[AsyncSession] = []

    def open_() -> tuple[AssetRepository, UnitOfWork]:
        session = sessions()
        opened.append(session)
        uow = SqlUnitOfWork(session, CLOCK, ids, "test", OutboxWakeup(), CONTENT_EVENTS)
        return SqlAssetRepository(session, uow), uow

    yield Store(open=open_)
    for session in opened:
        await session.close()
    await engine.dispose()


@pytest.fixture(params=["memory", "sqlite", pytest.param("mongo", marks=pytest.mark.integration)])
def store(request: pytest.FixtureRequest) -> Store:
    return request.getfixturevalue(f"{request.param}_store")  # type: ignore[no-any-return]


async def test_added_asset_reads_back_equal(store: Store) -> None:
    asset = new_asset("a1")
    asset.renditions = (Rendition("720p", "k", transcoded=True, width=1280, height=720),)
    await persist(store, lambda repo: repo.add(asset))
    assets, _ = store.open()
    loaded = await assets.get("a1")
    assert loaded is not None
    assert loaded.version == 1
    loaded.version = asset.version
    assert loaded == asset


async def test_missing_asset_is_none(store: Store) -> None:
    assets, _ = store.open()
    assert await assets.get("nope") is None


async def test_saves_bump_the_version_and_stale_copies_are_refused(store: Store) -> None:
    await persist(store, lambda repo: repo.add(new_asset("a1")))
    assets, _ = store.open()
    first, second = await assets.get("a1"), await assets.get("a1")
    assert first is not None
    assert second is not None
    first.confirm_upload(5, CLOCK.now())
    await persist(store, lambda repo: repo.save(first))
    second.fail("late writer", CLOCK.now())
    with pytest.raises(StaleAsset):
        await persist(store, lambda repo: repo.save(second))
    loaded = await assets.get("a1")
    assert loaded is not None
    assert (loaded.status, loaded.version) == (AssetStatus.UPLOADED, 2)


async def test_adding_an_existing_id_conflicts(store: Store) -> None:
    await persist(store, lambda repo: repo.add(new_asset("a1")))
    with pytest.raises(StaleAsset):
        await persist(store, lambda repo: repo.add(new_asset("a1")))


async def test_list_by_owner(store: Store) -> None:
    await persist(store, lambda repo: repo.add(new_asset("a1", owner="x")))
    await persist(store, lambda repo: repo.add(new_asset("a2", owner="y")))
    await persist(store, lambda repo: repo.add(new_asset("a3", owner="x")))
    assets, _ = store.open()
    assert sorted(a.id for a in await assets.list_by_owner("x")) == ["a1", "a3"]


async def test_a_write_without_commit_is_gone_when_the_unit_of_work_ends(store: Store) -> None:
    assets, uow = store.open()
    async with uow:
        await assets.add(new_asset("a1"))
    assert await assets.get("a1") is None
    again, _ = store.open()
    assert await again.get("a1") is None
    assert await again.list_by_owner("inst-1") == []


async def test_a_rollback_drops_the_writes_and_keeps_what_was_committed(store: Store) -> None:
    await persist(store, lambda repo: repo.add(new_asset("a1")))

    async def failing_change() -> None:
        assets, uow = store.open()
        async with uow:
            changed = await assets.get("a1")
            assert changed is not None
            changed.confirm_upload(5, CLOCK.now())
            await assets.save(changed)
            await assets.add(new_asset("a2"))
            raise RuntimeError("the use case failed before its commit")

    with pytest.raises(RuntimeError, match="before its commit"):
        await failing_change()
    assets, _ = store.open()
    kept = await assets.get("a1")
    assert kept is not None
    assert (kept.status, kept.version) == (AssetStatus.CREATED, 1)
    assert await assets.get("a2") is None


class RecordingPublisher:
    def __init__(self) -> None:
        self.messages: list[OutgoingMessage] = []

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        self.messages.extend(messages)


@pytest.mark.integration
async def test_mongo_events_leave_with_the_state_change_and_the_relay_sends_each_once(
    mongo_store: Store, mongo_db: Any
) -> None:
    """What the asset recorded goes into its document with the change, mapped by
    ``CONTENT_EVENTS``; the relay sends each once, in order."""
    asset = new_asset("a1")
    assets, uow = mongo_store.open()
    async with uow:
        await assets.add(asset)
        await uow.commit()
    async with uow:
        loaded = await assets.get("a1")
        assert loaded is not None
        loaded.confirm_upload(10, CLOCK.now())
        loaded.start_processing(CLOCK.now())
        loaded.mark_ready(CLOCK.now(), renditions=(Rendition("o", "k", transcoded=False),))
        await assets.save(loaded)
        await uow.commit()
    publisher = RecordingPublisher()
    relay = MongoOutboxRelay(mongo_db, publisher, ContentOutboxWakeup())
    assert await relay.drain() == 3
    assert await relay.drain() == 0
    types = [decode_envelope(m.payload).type for m in publisher.messages]
    assert types == ["content.asset_registered", "content.asset_uploaded", "content.asset_ready"]
    assert {m.key for m in publisher.messages} == {"a1"}


@pytest.mark.integration
async def test_mongo_inbox_claims_survive_the_commit(mongo_store: Store) -> None:
    _, uow = mongo_store.open()
    async with uow:
        assert await uow.first_delivery("content.processing", "e1")
        await uow.commit()
    _, other = mongo_store.open()
    async with other:
        assert not await other.first_delivery("content.processing", "e1")
        assert await other.first_delivery("content.user-erasure", "e1")


async def test_the_courses_an_asset_is_attached_to_are_kept(store: Store) -> None:
    await persist(store, lambda repo: repo.add(new_asset("a1")))
    assets, _ = store.open()
    loaded = await assets.get("a1")
    assert loaded is not None
    assert loaded.attached_to == ()
    loaded.attach_to("c-1", CLOCK.now())
    loaded.attach_to("c-2", CLOCK.now())
    await persist(store, lambda repo: repo.save(loaded))
    again, _ = store.open()
    reloaded = await again.get("a1")
    assert reloaded is not None
    assert reloaded.attached_to == ("c-1", "c-2")
