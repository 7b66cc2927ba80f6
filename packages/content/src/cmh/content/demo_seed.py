"""Seeds the demo media, in both profiles (the embedded platform's start and the
distributed profile's seed job): the sample files and the generated sample video under
fixed ids, the video run through the real transcoder. Idempotent: an id already there is
skipped, and the run says so."""

from __future__ import annotations

from dishka import AsyncContainer

from cmh.content.adapters.pyav.transcoder import PyAvTranscoder
from cmh.content.application.ports import (
    AssetRepository,
    ContentUnitOfWork,
    ObjectStorage,
    Transcoder,
    TranscodingFailed,
)
from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS, SAMPLES, demo_video_filename, sample_video
from cmh.content.domain.asset import Asset, AssetKind
from cmh.kernel.clock import Clock
from cmh.kernel.module import Progress
from cmh.kernel.uow import UnitOfWork


def _ignore(_line: str) -> None:
    return None


async def seed_demo_assets(
    container: AsyncContainer, *, owner_id: str, progress: Progress = _ignore
) -> list[Asset]:
    """``seed_demo_media`` with the content context's own stores from ``container`` (the
    embedded platform's or the content service's)."""
    async with container() as request:
        return await seed_demo_media(
            await request.get(AssetRepository),
            await request.get(ObjectStorage),
            await request.get(ContentUnitOfWork),
            await request.get(Clock),
            owner_id=owner_id,
            progress=progress,
        )


async def seed_demo_media(
    assets: AssetRepository,
    storage: ObjectStorage,
    uow: UnitOfWork,
    clock: Clock,
    *,
    owner_id: str,
    transcoder: Transcoder | None = None,
    video: bytes | None = None,
    progress: Progress = _ignore,
) -> list[Asset]:
    """Stores the sample files (see ``demo_media``) as READY assets, and the generated
    sample video under each of ``DEMO_VIDEO_ASSET_IDS``, run through ``transcoder``
    (default: the real ``PyAvTranscoder`` on ``storage``) so its renditions are genuine.
    ``video`` replaces the 6-second sample (tests pass a tiny clip).

    Idempotent: every demo asset has a fixed id, and an id that already exists is skipped.
    Returns the assets created by this call. Demo data: no events are recorded for it."""
    transcoder = transcoder or PyAvTranscoder(storage)
    seeded: list[Asset] = []
    total = len(SAMPLES) + len(DEMO_VIDEO_ASSET_IDS)
    for index, sample in enumerate(SAMPLES, start=1):
        if await assets.get(sample.asset_id) is not None:
            progress(f"demo media {index}/{total} already there: {sample.asset_id}")
            continue
        progress(f"seeding demo media {index}/{total}: {sample.filename}")
        now = clock.now()
        asset = Asset.register(
            asset_id=sample.asset_id,
            owner_id=owner_id,
            kind=sample.kind,
            filename=sample.filename,
            content_type=sample.content_type,
            size_bytes=len(sample.data),
            now=now,
        )
        await storage.put_bytes(asset.source_key, sample.data, content_type=sample.content_type)
        asset.confirm_upload(len(sample.data), now)
        asset.start_processing(now)
        asset.mark_ready(now)
        await _add(assets, uow, asset)
        seeded.append(asset)
    for index, asset_id in enumerate(DEMO_VIDEO_ASSET_IDS, start=len(SAMPLES) + 1):
        if await assets.get(asset_id) is not None:
            progress(f"demo media {index}/{total} already there: {asset_id}")
            continue
        progress(f"seeding demo media {index}/{total}: transcoding {demo_video_filename(asset_id)}")
        video = video or sample_video()
        now = clock.now()
        asset = Asset.register(
            asset_id=asset_id,
            owner_id=owner_id,
            kind=AssetKind.VIDEO,
            filename=demo_video_filename(asset_id),
            content_type="video/mp4",
            size_bytes=len(video),
            now=now,
        )
        await storage.put_bytes(asset.source_key, video, content_type="video/mp4")
        asset.confirm_upload(len(video), now)
        asset.start_processing(now)
        try:
            produced = await transcoder.transcode(asset)
        except TranscodingFailed as exc:
            asset.fail(exc.reason, clock.now())
        else:
            asset.mark_ready(
                clock.now(), renditions=produced.renditions, thumbnail_key=produced.thumbnail_key
            )
        await _add(assets, uow, asset)
        seeded.append(asset)
    return seeded


async def _add(assets: AssetRepository, uow: UnitOfWork, asset: Asset) -> None:
    async with uow:
        await assets.add(asset)
        await uow.commit()
