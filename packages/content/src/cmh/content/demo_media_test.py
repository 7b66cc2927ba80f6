"""The generated demo video is a real MP4, and the demo seeding is real and idempotent."""

from __future__ import annotations

import io

import av

from cmh.content.adapters.memory.assets import MemoryAssetRepository
from cmh.content.adapters.memory.storage import MemoryObjectStorage
from cmh.content.adapters.pyav.transcoder import PyAvTranscoder
from cmh.content.application.integration_events import CONTENT_EVENTS
from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS, SAMPLES, sample_video
from cmh.content.demo_seed import seed_demo_media
from cmh.content.domain.asset import AssetKind, AssetStatus
from cmh.kernel.clock import FrozenClock
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh_testing.content import tiny_video


def test_the_sample_video_is_a_small_playable_h264_mp4_with_sound() -> None:
    data = sample_video()
    assert len(data) < 400 * 1024
    with av.open(io.BytesIO(data), mode="r") as played:
        assert played.format.name.startswith("mov,mp4")
        video, audio = played.streams.video[0], played.streams.audio[0]
        assert (video.codec_context.name, audio.codec_context.name) == ("h264", "aac")
        assert (video.codec_context.width, video.codec_context.height) == (640, 360)
        assert video.average_rate == 25
        assert abs((played.duration or 0) / av.time_base - 6.0) < 0.1
        assert sum(1 for _ in played.decode(video=0)) == 150


async def test_seeding_transcodes_the_videos_for_real_and_is_idempotent() -> None:
    uow = InMemoryUnitOfWork(events=CONTENT_EVENTS)
    assets, storage = MemoryAssetRepository(uow), MemoryObjectStorage()
    clock = FrozenClock()
    transcoder = PyAvTranscoder(storage)
    clip = tiny_video(320, 180, seconds=0.4)

    seeded = await seed_demo_media(
        assets, storage, uow, clock, owner_id="inst-1", transcoder=transcoder, video=clip
    )

    assert [a.id for a in seeded] == [s.asset_id for s in SAMPLES] + list(DEMO_VIDEO_ASSET_IDS)
    videos = [a for a in seeded if a.kind is AssetKind.VIDEO]
    assert [a.id for a in videos] == list(DEMO_VIDEO_ASSET_IDS)
    for video in videos:
        assert video.status is AssetStatus.READY
        [rendition] = video.renditions
        assert (rendition.transcoded, rendition.width, rendition.height) == (True, 320, 180)
        assert await storage.get_bytes(rendition.key)
        assert video.thumbnail_key is not None
        assert await storage.get_bytes(video.thumbnail_key)

    lines: list[str] = []
    again = await seed_demo_media(
        assets,
        storage,
        uow,
        clock,
        owner_id="inst-1",
        transcoder=transcoder,
        video=clip,
        progress=lines.append,
    )
    assert again == []
    assert len(lines) == len(seeded)
    assert all(" already there: " in line for line in lines)
    assert len(await assets.list_by_owner("inst-1")) == len(seeded)
