"""PyAvTranscoder on real (tiny, generated) clips: what it claims is what it wrote."""

from __future__ import annotations

import io
import struct

import av
import pytest

from cmh.content.adapters.memory.storage import MemoryObjectStorage
from cmh.content.adapters.pyav.transcoder import (
    PyAvTranscoder,
    Rung,
    TranscodeLimits,
    scaled_size,
)
from cmh.content.application.ports import TranscodingFailed
from cmh.content.domain.asset import Asset, AssetKind
from cmh.kernel.clock import FrozenClock
from cmh_testing.content import tiny_video

SMALL_LADDER = (Rung(180, 600), Rung(120, 300), Rung(60, 100))


async def _stored(storage: MemoryObjectStorage, data: bytes, asset_id: str = "a1") -> Asset:
    asset = Asset.register(
        asset_id=asset_id,
        owner_id="inst-1",
        kind=AssetKind.VIDEO,
        filename="lesson.mp4",
        content_type="video/mp4",
        size_bytes=max(1, len(data)),
        now=FrozenClock().now(),
    )
    await storage.put_bytes(asset.source_key, data, content_type="video/mp4")
    return asset


def _top_level_atoms(data: bytes) -> list[str]:
    atoms, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        atoms.append(kind.decode())
        offset += size or len(data)
    return atoms


@pytest.mark.parametrize(
    ("source", "height", "expected"),
    [
        ((1920, 1080), 720, (1280, 720)),
        ((640, 360), 240, (426, 240)),
        ((200, 150), 100, (134, 100)),
        ((160, 90), 360, (160, 90)),
        ((161, 91), 360, (160, 90)),
    ],
)
def test_scaled_size_keeps_aspect_even_and_never_upscales(
    source: tuple[int, int], height: int, expected: tuple[int, int]
) -> None:
    assert scaled_size(*source, height) == expected


async def test_a_ladder_of_real_h264_renditions_with_audio_and_a_thumbnail() -> None:
    storage = MemoryObjectStorage()
    asset = await _stored(storage, tiny_video(320, 180))
    transcoder = PyAvTranscoder(storage, TranscodeLimits(ladder=SMALL_LADDER))

    produced = await transcoder.transcode(asset)

    assert [(r.name, r.width, r.height) for r in produced.renditions] == [
        ("180p", 320, 180),
        ("120p", 214, 120),
        ("60p", 106, 60),
    ]
    for rendition in produced.renditions:
        assert rendition.transcoded
        assert rendition.key == f"assets/a1/renditions/{rendition.name}/video.mp4"
        data = await storage.get_bytes(rendition.key)
        assert data is not None
        assert _top_level_atoms(data)[:2] == ["ftyp", "moov"]  # faststart
        with av.open(io.BytesIO(data), mode="r") as played:
            video, audio = played.streams.video[0], played.streams.audio[0]
            assert video.codec_context.name == "h264"
            assert audio.codec_context.name == "aac"
            frames = list(played.decode(video=0))
            duration = (played.duration or 0) / av.time_base
        assert len(frames) == 25
        assert {(f.width, f.height) for f in frames} == {(rendition.width, rendition.height)}
        assert frames[0].format.name == "yuv420p"
        assert 0.9 <= duration <= 1.2
        assert rendition.bitrate_kbps is not None
        measured = len(data) * 8 / duration / 1000
        assert abs(rendition.bitrate_kbps - measured) <= 1
        assert 5 <= rendition.bitrate_kbps <= 2000
    assert produced.thumbnail_key == "assets/a1/thumbnail.jpg"
    thumbnail = await storage.get_bytes(produced.thumbnail_key)
    assert thumbnail is not None
    assert thumbnail[:2] == b"\xff\xd8"  # JPEG
    with av.open(io.BytesIO(thumbnail), mode="r") as image:
        [picture] = list(image.decode(video=0))
    assert (picture.width, picture.height) == (320, 180)


async def test_a_source_smaller_than_every_rung_is_not_upscaled() -> None:
    storage = MemoryObjectStorage()
    asset = await _stored(storage, tiny_video(160, 90, audio=False))

    produced = await PyAvTranscoder(storage).transcode(asset)  # default ladder: 720p..240p

    [rendition] = produced.renditions
    assert (rendition.name, rendition.width, rendition.height) == ("90p", 160, 90)
    data = await storage.get_bytes(rendition.key)
    assert data is not None
    with av.open(io.BytesIO(data), mode="r") as played:
        assert not played.streams.audio  # no sound in, no (silent) track out
        frame = next(played.decode(video=0))
    assert (frame.width, frame.height) == (160, 90)


@pytest.mark.parametrize(
    "garbage",
    [
        b"this is not a video at all" * 40,
        bytes(range(256)) * 16,
        tiny_video(160, 90)[:600],  # truncated: the header promises what is not there
    ],
)
async def test_undecodable_media_fails_with_a_reason(garbage: bytes) -> None:
    storage = MemoryObjectStorage()
    asset = await _stored(storage, garbage)

    with pytest.raises(TranscodingFailed) as failed:
        await PyAvTranscoder(storage).transcode(asset)

    assert failed.value.reason
    assert not [k for k in storage.objects if "/renditions/" in k]


async def test_a_missing_source_fails() -> None:
    storage = MemoryObjectStorage()
    asset = await _stored(storage, b"")
    del storage.objects[asset.source_key]
    with pytest.raises(TranscodingFailed, match="missing"):
        await PyAvTranscoder(storage).transcode(asset)


async def test_limits_refuse_oversized_and_overlong_sources() -> None:
    storage = MemoryObjectStorage()
    asset = await _stored(storage, tiny_video(160, 90))
    too_small_budget = TranscodeLimits(max_source_bytes=1000)
    with pytest.raises(TranscodingFailed, match="bytes"):
        await PyAvTranscoder(storage, too_small_budget).transcode(asset)
    too_short_budget = TranscodeLimits(max_duration_seconds=0.5)
    with pytest.raises(TranscodingFailed, match="lasts"):
        await PyAvTranscoder(storage, too_short_budget).transcode(asset)
    too_large_picture = TranscodeLimits(max_width=128)
    with pytest.raises(TranscodingFailed, match="160x90"):
        await PyAvTranscoder(storage, too_large_picture).transcode(asset)
