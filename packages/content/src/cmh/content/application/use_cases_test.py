from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TypeVar, cast

import pytest
from dishka import AsyncContainer

from cmh.content.adapters.memory.assets import MemoryAssetRepository
from cmh.content.adapters.memory.signer import MemoryUrlSigner
from cmh.content.adapters.memory.storage import MemoryObjectStorage
from cmh.content.adapters.memory.transcoder import ScriptedTranscoder
from cmh.content.application.anonymise_owner import AnonymiseOwner
from cmh.content.application.attach_asset import AttachAsset
from cmh.content.application.confirm_upload import ConfirmUpload
from cmh.content.application.get_asset import GetAsset
from cmh.content.application.playback_url import PlaybackUrl
from cmh.content.application.ports import AssetRepository
from cmh.content.application.process_asset import ProcessAsset
from cmh.content.application.register_asset import RegisterAsset, RegisterAssetCommand
from cmh.content.domain.asset import Asset, AssetKind, AssetStatus
from cmh.content.domain.errors import AssetNotFound, AssetNotPlayable, UploadMissing
from cmh.content.module import ContentModule
from cmh.content.settings import ContentSettings
from cmh.contracts.events.content import (
    AssetFailedV1,
    AssetReadyV1,
    AssetRegisteredV1,
    AssetUploadedV1,
)
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock, FrozenClock, IdGenerator, SequentialIds
from cmh.kernel.errors import Forbidden
from cmh.kernel.module import Profile, compose
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh_testing.kernel.overrides import adding, replacing
from cmh_testing.kernel.requests import InRequest

INSTRUCTOR = Principal(user_id="inst-1", roles=frozenset({"instructor"}))
OTHER_INSTRUCTOR = Principal(user_id="inst-2", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="adm", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="learner-1", roles=frozenset({"learner"}))
MP4 = RegisterAssetCommand(
    filename="intro.mp4", content_type="video/mp4", size_bytes=2048, kind=AssetKind.VIDEO
)
T = TypeVar("T")


class World:
    """The ``ContentModule`` in the memory profile (in-memory assets and objects staging
    writes until commit, a recording signer, a scripted transcoder) with a frozen clock
    and sequential ids as explicit overrides; each use case is resolved in a request
    scope of its own, as the HTTP layer and the consumers do."""

    uow: InMemoryUnitOfWork
    assets: MemoryAssetRepository
    storage: MemoryObjectStorage
    transcoder: ScriptedTranscoder
    signer: MemoryUrlSigner

    def __init__(self, container: AsyncContainer, clock: FrozenClock) -> None:
        self.container = container
        self.clock = clock
        self.register = self.use(RegisterAsset)
        self.confirm = self.use(ConfirmUpload)
        self.process = self.use(ProcessAsset)
        self.get = self.use(GetAsset)
        self.playback = self.use(PlaybackUrl)
        self.anonymise = self.use(AnonymiseOwner)
        self.attach = self.use(AttachAsset)

    @classmethod
    async def open(cls) -> World:
        clock = FrozenClock()
        # Content trusts the users service's keys; its use cases never see a token.
        verifier = TokenVerifier(SigningKey.generate().jwks(), TokenSettings())
        container = compose(
            Profile.MEMORY,
            [ContentModule()],
            overrides=[
                replacing((Clock, clock), (IdGenerator, SequentialIds("asset"))),
                adding((Authenticator, LocalAuthenticator(verifier, clock))),
            ],
            context={
                ContentSettings: ContentSettings(upload_ttl_seconds=900, playback_ttl_seconds=300)
            },
        )
        world = cls(container, clock)
        await world._observe()
        return world

    async def _observe(self) -> None:
        """The memory adapters the tests look into and script, from the container."""
        self.uow = await self.container.get(InMemoryUnitOfWork)
        assets = await self.container.get(AssetRepository)
        assert isinstance(assets, MemoryAssetRepository)
        self.assets = assets
        self.storage = await self.container.get(MemoryObjectStorage)
        self.transcoder = await self.container.get(ScriptedTranscoder)
        self.signer = await self.container.get(MemoryUrlSigner)

    def use(self, kind: type[T]) -> T:
        return cast(T, InRequest(self.container, kind))

    async def uploaded_video(self, size: int = 2000) -> str:
        registered = await self.register.execute(INSTRUCTOR, MP4)
        await self.storage.put_bytes(
            await self.source_key(registered.asset.id), b"x" * size, content_type="video/mp4"
        )
        await self.confirm.execute(INSTRUCTOR, registered.asset.id)
        return registered.asset.id

    async def source_key(self, asset_id: str) -> str:
        """Where the upload URL puts the file (the read model leaves storage keys out)."""
        stored = await self.assets.get(asset_id)
        assert stored is not None
        return stored.source_key


@pytest.fixture
async def world() -> AsyncIterator[World]:
    opened = await World.open()
    yield opened
    await opened.container.close()


async def test_register_gives_a_presigned_put_and_records_the_event(world: World) -> None:
    registered = await world.register.execute(INSTRUCTOR, MP4)
    assert registered.upload.method == "PUT"
    assert registered.upload.expires_at == world.clock.now() + timedelta(minutes=15)
    assert registered.upload.headers == {"Content-Type": "video/mp4"}
    stored = await world.assets.get(registered.asset.id)
    assert stored is not None
    assert stored.status is AssetStatus.CREATED
    [event] = world.uow.events_of(AssetRegisteredV1)
    assert event.asset_id == registered.asset.id  # type: ignore[attr-defined]


async def test_learners_cannot_register(world: World) -> None:
    with pytest.raises(Forbidden):
        await world.register.execute(LEARNER, MP4)
    assert world.assets.items == {}


async def test_confirm_without_an_upload_is_refused(world: World) -> None:
    registered = await world.register.execute(INSTRUCTOR, MP4)
    with pytest.raises(UploadMissing):
        await world.confirm.execute(INSTRUCTOR, registered.asset.id)
    assert world.uow.events_of(AssetUploadedV1) == []


async def test_confirm_marks_uploaded_once_even_when_retried(world: World) -> None:
    asset_id = await world.uploaded_video()
    again = await world.confirm.execute(INSTRUCTOR, asset_id)
    assert again.status == AssetStatus.UPLOADED.value
    assert len(world.uow.events_of(AssetUploadedV1)) == 1


async def test_confirming_someone_elses_asset_looks_missing(world: World) -> None:
    asset_id = await world.uploaded_video()
    with pytest.raises(AssetNotFound):
        await world.confirm.execute(OTHER_INSTRUCTOR, asset_id)


async def test_processing_makes_the_asset_ready(world: World) -> None:
    asset_id = await world.uploaded_video()
    asset = await world.process.execute(asset_id)
    assert asset.status == AssetStatus.READY.value
    assert [r.name for r in asset.renditions] == ["1080p", "720p", "480p"]
    [ready] = world.uow.events_of(AssetReadyV1)
    assert len(ready.renditions) == 3  # type: ignore[attr-defined]


async def test_processing_twice_with_the_same_event_changes_nothing(world: World) -> None:
    asset_id = await world.uploaded_video()
    await world.process.execute(asset_id)
    await world.process.execute(asset_id)
    assert world.transcoder.transcoded == [asset_id]
    assert len(world.uow.events_of(AssetReadyV1)) == 1


async def test_a_crash_during_transcoding_is_resumed_by_the_redelivery(world: World) -> None:
    asset_id = await world.uploaded_video()
    world.transcoder.fail_with = None
    stuck = await world.assets.get(asset_id)
    assert stuck is not None
    stuck.start_processing(world.clock.now())
    async with world.uow:  # as if the first attempt died after step 1
        await world.assets.save(stuck)
        await world.uow.commit()
    asset = await world.process.execute(asset_id)
    assert asset.status == AssetStatus.READY.value


async def test_transcoder_failure_fails_the_asset_with_the_reason(world: World) -> None:
    asset_id = await world.uploaded_video()
    world.transcoder.fail_with = "unsupported codec"
    asset = await world.process.execute(asset_id)
    assert (asset.status, asset.failure_reason) == (AssetStatus.FAILED.value, "unsupported codec")
    [failed] = world.uow.events_of(AssetFailedV1)
    assert failed.reason == "unsupported codec"  # type: ignore[attr-defined]


async def test_get_asset_owner_and_admin_only(world: World) -> None:
    asset_id = await world.uploaded_video()
    assert (await world.get.execute(INSTRUCTOR, asset_id)).id == asset_id
    assert (await world.get.execute(ADMIN, asset_id)).id == asset_id
    with pytest.raises(AssetNotFound):
        await world.get.execute(OTHER_INSTRUCTOR, asset_id)


async def test_playback_signs_the_best_rendition_with_a_short_expiry(world: World) -> None:
    asset_id = await world.uploaded_video()
    await world.process.execute(asset_id)
    await world.attach.execute(INSTRUCTOR, asset_id, "course-1")
    playback = await world.playback.execute(asset_id, user_id="learner-1", course_id="course-1")
    assert playback.rendition.name == "1080p"
    assert playback.expires_at == world.clock.now() + timedelta(minutes=5)
    stored = await world.assets.get(asset_id)
    assert stored is not None
    assert world.signer.signed == [(stored.best_rendition().key, playback.expires_at)]
    assert "immutable" in playback.media_cache_control


async def test_playback_refused_until_ready(world: World) -> None:
    asset_id = await world.uploaded_video()
    await world.attach.execute(INSTRUCTOR, asset_id, "course-1")
    with pytest.raises(AssetNotPlayable):
        await world.playback.execute(asset_id, user_id="learner-1", course_id="course-1")


async def test_erasure_anonymises_owned_assets_once(world: World) -> None:
    asset_id = await world.uploaded_video()
    assert await world.anonymise.execute("inst-1") == 1
    assert await world.anonymise.execute("inst-1") == 0
    stored = await world.assets.get(asset_id)
    assert stored is not None
    assert stored.owner_id == "erased-user"


async def test_only_the_owner_or_an_admin_attaches_an_asset_to_a_course(world: World) -> None:
    asset_id = await world.uploaded_video()
    # Someone else's asset, ready or not, answers like a missing one: the id is no capability.
    with pytest.raises(AssetNotFound):
        await world.attach.execute(OTHER_INSTRUCTOR, asset_id, "rival-course")
    await world.process.execute(asset_id)
    with pytest.raises(AssetNotFound):
        await world.attach.execute(OTHER_INSTRUCTOR, asset_id, "rival-course")
    with pytest.raises(AssetNotFound):
        await world.attach.execute(INSTRUCTOR, "no-such-asset", "course-1")
    assert (await world.attach.execute(INSTRUCTOR, asset_id, "course-1")).id == asset_id
    assert (await world.attach.execute(ADMIN, asset_id, "course-2")).id == asset_id
    await world.attach.execute(INSTRUCTOR, asset_id, "course-1")
    stored = await world.assets.get(asset_id)
    assert stored is not None
    assert stored.attached_to == ("course-1", "course-2")


async def test_playback_is_signed_only_for_a_course_the_asset_is_attached_to(
    world: World,
) -> None:
    asset_id = await world.uploaded_video()
    await world.process.execute(asset_id)
    await world.attach.execute(INSTRUCTOR, asset_id, "course-1")
    with pytest.raises(AssetNotFound):
        await world.playback.execute(asset_id, user_id="learner-1", course_id="rival-course")
    assert world.signer.signed == []
    assert await world.playback.execute(asset_id, user_id="learner-1", course_id="course-1")


async def test_attaching_retries_when_the_transcoder_saved_meanwhile(world: World) -> None:
    asset_id = await world.uploaded_video()
    real_get = world.assets.get
    raced = False

    async def get_then_race(wanted: str) -> Asset | None:
        nonlocal raced
        copy = await real_get(wanted)
        if not raced:  # the worker saves the asset between our read and our save
            raced = True
            # In a context of its own: the worker's transaction is not ours.
            worker = world.process.execute(asset_id)
            await asyncio.create_task(worker, context=contextvars.Context())
        return copy

    world.assets.get = get_then_race  # type: ignore[method-assign,assignment]
    attached = await world.attach.execute(INSTRUCTOR, asset_id, "course-1")
    assert raced
    assert attached.status == AssetStatus.READY.value  # the second attempt read the new state
    stored = await real_get(asset_id)
    assert stored is not None
    assert stored.plays_in("course-1")
    assert stored.status is AssetStatus.READY
