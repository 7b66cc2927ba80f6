"""The processing job through the kernel's in-process bus, delivered twice."""

from __future__ import annotations

from cmh.content.adapters.memory.transcoder import ScriptedTranscoder
from cmh.content.consumers import subscriptions
from cmh.content.domain.asset import AssetStatus
from cmh.contracts.events.base import encode_envelope, wrap
from cmh.contracts.events.content import AssetReadyV1, AssetUploadedV1
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.kernel.auth.principal import Principal
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh_testing.content import ContentTestHarness, build_content_test_harness

INSTRUCTOR = Principal(user_id="inst-1", roles=frozenset({"instructor"}))


def _message(
    event: AssetUploadedV1 | UserErasureRequestedV1, subject: str, event_id: str, now: object
) -> OutgoingMessage:
    envelope = wrap(event, id=event_id, source="test", subject=subject, time=now)  # type: ignore[arg-type]
    return OutgoingMessage(topic=event.TOPIC, key=subject, payload=encode_envelope(envelope))


async def _source_key(h: ContentTestHarness, asset_id: str) -> str:
    """Where the upload URL puts the file (the read model leaves storage keys out)."""
    stored = await h.assets.get(asset_id)
    assert stored is not None
    return stored.source_key


async def test_uploaded_event_delivered_twice_processes_once() -> None:
    h = build_content_test_harness(with_http=False)
    bus = InProcessBus(subscriptions())
    bus.bind(h.container)
    from cmh.content.application.confirm_upload import ConfirmUpload
    from cmh.content.application.register_asset import RegisterAsset, RegisterAssetCommand
    from cmh.content.domain.asset import AssetKind

    async with h.container() as request:
        register = await request.get(RegisterAsset)
        registered = await register.execute(
            INSTRUCTOR,
            RegisterAssetCommand(
                filename="intro.mp4", content_type="video/mp4", size_bytes=100, kind=AssetKind.VIDEO
            ),
        )
    asset_id = registered.asset.id
    await h.storage.put_bytes(await _source_key(h, asset_id), b"v" * 100, content_type="video/mp4")
    async with h.container() as request:
        await (await request.get(ConfirmUpload)).execute(INSTRUCTOR, asset_id)
    [uploaded] = h.uow.events_of(AssetUploadedV1)

    message = _message(uploaded, asset_id, "evt-uploaded-1", h.clock.now())  # type: ignore[arg-type]
    await bus.publish([message, message])

    assert not bus.dead_letters
    assert isinstance(h.transcoder, ScriptedTranscoder)
    assert h.transcoder.transcoded == [asset_id]
    stored = await h.assets.get(asset_id)
    assert stored is not None
    assert stored.status is AssetStatus.READY
    assert len(h.uow.events_of(AssetReadyV1)) == 1


async def test_the_bus_job_with_the_real_transcoder_yields_real_renditions() -> None:
    import io

    import av

    from cmh.content.application.confirm_upload import ConfirmUpload
    from cmh.content.application.register_asset import RegisterAsset, RegisterAssetCommand
    from cmh.content.domain.asset import AssetKind
    from cmh_testing.content import tiny_video

    h = build_content_test_harness(with_http=False, real_transcoder=True)
    bus = InProcessBus(subscriptions())
    bus.bind(h.container)
    clip = tiny_video(320, 180)
    async with h.container() as request:
        registered = await (await request.get(RegisterAsset)).execute(
            INSTRUCTOR,
            RegisterAssetCommand(
                filename="intro.mp4",
                content_type="video/mp4",
                size_bytes=len(clip),
                kind=AssetKind.VIDEO,
            ),
        )
    asset_id = registered.asset.id
    await h.storage.put_bytes(await _source_key(h, asset_id), clip, content_type="video/mp4")
    async with h.container() as request:
        await (await request.get(ConfirmUpload)).execute(INSTRUCTOR, asset_id)
    [uploaded] = h.uow.events_of(AssetUploadedV1)

    await bus.publish([_message(uploaded, asset_id, "evt-uploaded-1", h.clock.now())])  # type: ignore[arg-type]

    assert not bus.dead_letters
    stored = await h.assets.get(asset_id)
    assert stored is not None
    assert stored.status is AssetStatus.READY, stored.failure_reason
    assert [(r.name, r.width, r.height, r.transcoded) for r in stored.renditions] == [
        ("180p", 320, 180, True)
    ]
    assert stored.thumbnail_key == f"assets/{asset_id}/thumbnail.jpg"
    data = await h.storage.get_bytes(stored.best_rendition().key)
    assert data is not None
    with av.open(io.BytesIO(data), mode="r") as played:
        assert next(played.decode(video=0)).height == 180
    [ready] = h.uow.events_of(AssetReadyV1)
    assert isinstance(ready, AssetReadyV1)
    assert [(r.name, r.transcoded, r.height) for r in ready.renditions] == [("180p", True, 180)]


async def test_garbage_through_the_bus_fails_the_asset_with_a_reason() -> None:
    from cmh.content.application.confirm_upload import ConfirmUpload
    from cmh.content.application.register_asset import RegisterAsset, RegisterAssetCommand
    from cmh.content.domain.asset import AssetKind
    from cmh.contracts.events.content import AssetFailedV1

    h = build_content_test_harness(with_http=False, real_transcoder=True)
    bus = InProcessBus(subscriptions())
    bus.bind(h.container)
    async with h.container() as request:
        registered = await (await request.get(RegisterAsset)).execute(
            INSTRUCTOR,
            RegisterAssetCommand(
                filename="intro.mp4", content_type="video/mp4", size_bytes=100, kind=AssetKind.VIDEO
            ),
        )
    asset_id = registered.asset.id
    await h.storage.put_bytes(await _source_key(h, asset_id), b"v" * 100, content_type="video/mp4")
    async with h.container() as request:
        await (await request.get(ConfirmUpload)).execute(INSTRUCTOR, asset_id)
    [uploaded] = h.uow.events_of(AssetUploadedV1)

    await bus.publish([_message(uploaded, asset_id, "evt-uploaded-1", h.clock.now())])  # type: ignore[arg-type]

    assert not bus.dead_letters
    stored = await h.assets.get(asset_id)
    assert stored is not None
    assert stored.status is AssetStatus.FAILED
    assert stored.failure_reason is not None
    assert "could not be read as a video" in stored.failure_reason
    [failed] = h.uow.events_of(AssetFailedV1)
    assert isinstance(failed, AssetFailedV1)
    assert failed.reason == stored.failure_reason


async def test_erasure_event_anonymises_the_owner() -> None:
    h = build_content_test_harness(with_http=False)
    bus = InProcessBus(subscriptions())
    bus.bind(h.container)
    from cmh.content.demo_seed import seed_demo_media

    seeded = await seed_demo_media(
        h.assets, h.storage, h.uow, h.clock, owner_id="inst-1", transcoder=h.transcoder
    )
    event = UserErasureRequestedV1(user_id="inst-1")
    await bus.publish([_message(event, "inst-1", "evt-erase-1", h.clock.now())])
    assert not bus.dead_letters
    assert await h.assets.list_by_owner("inst-1") == []
    assert len(await h.assets.list_by_owner("erased-user")) == len(seeded)
