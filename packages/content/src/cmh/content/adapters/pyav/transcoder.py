"""A real Transcoder on PyAV (FFmpeg's libraries, in-process).

The source is read through ``ObjectStorage``, probed, and decoded once; every decoded
frame is scaled into each rung of an H.264 ladder (capped at the source height, aspect
ratio kept, even dimensions, yuv420p), with AAC audio when the source has sound. The
MP4s are muxed with ``movflags=faststart`` (index first, so playback starts before the
download ends), re-opened to measure their real size/duration/bitrate, and written back
through ``ObjectStorage`` with a JPEG poster frame from ~10% into the video.

All FFmpeg work runs in ``asyncio.to_thread``. Limits (source bytes, duration, frame
size) are checked before and during decoding, so a hostile upload cannot make the
worker encode for hours. Media FFmpeg cannot read fails the asset with a reason.
"""

from __future__ import annotations

import asyncio
import logging
import math
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.video.stream import VideoStream

from cmh.content.application.ports import ObjectStorage, Transcoded, TranscodingFailed
from cmh.content.domain.asset import Asset, Rendition

log = logging.getLogger(__name__)

MiB = 1024 * 1024
_MAX_SOURCE_FPS = 240


@dataclass(frozen=True, slots=True)
class Rung:
    """One step of the ladder: a target height, the video bitrate ceiling for it (x264
    CRF under a VBV cap) and the AAC bitrate used when the source has sound."""

    height: int
    max_kbps: int
    audio_kbps: int = 128
    crf: int = 23


DEFAULT_LADDER: tuple[Rung, ...] = (
    Rung(720, 2800, audio_kbps=128),
    Rung(480, 1400, audio_kbps=128),
    Rung(360, 800, audio_kbps=96),
    Rung(240, 400, audio_kbps=64),
)


@dataclass(frozen=True, slots=True)
class TranscodeLimits:
    max_source_bytes: int = 512 * MiB
    max_duration_seconds: float = 2 * 60 * 60
    max_width: int = 4096
    max_height: int = 4096
    ladder: tuple[Rung, ...] = DEFAULT_LADDER
    # libx264 speed/size trade-off; "veryfast" keeps an in-process worker responsive.
    preset: str = "veryfast"
    thumbnail_height: int = 360
    # Transcodes one transcoder runs at once (each already uses every core through x264).
    max_concurrent: int = 1


@dataclass(frozen=True, slots=True)
class Probe:
    width: int
    height: int
    duration_seconds: float | None
    fps: Fraction
    has_audio: bool


@dataclass(frozen=True, slots=True)
class _Output:
    name: str
    path: Path
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class _Measured:
    name: str
    data: bytes
    width: int
    height: int
    duration_seconds: float
    bitrate_kbps: int


@dataclass(slots=True)
class _Produced:
    renditions: list[_Measured] = field(default_factory=list)
    thumbnail: bytes | None = None
    probe: Probe | None = None


class _MediaError(Exception):
    """The media itself is the problem (not the machine): fail the asset, don't retry."""


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def scaled_size(source_width: int, source_height: int, target_height: int) -> tuple[int, int]:
    """(width, height) for ``target_height`` (never above the source), aspect kept, even."""
    height = _even(min(target_height, source_height))
    if height > source_height:  # an odd source height of 1 px more than the rung
        height = max(2, source_height // 2 * 2)
    width = _even(source_width * height / source_height)
    return width, height


def ladder_for(probe: Probe, ladder: tuple[Rung, ...]) -> list[tuple[str, int, int, Rung]]:
    """The rungs that fit the source (no upscaling); a source smaller than every rung gets
    one rendition at its own size, with the smallest rung's bitrate ceiling."""
    fitting = [rung for rung in ladder if rung.height <= probe.height]
    if not fitting:
        smallest = min(ladder, key=lambda r: r.height)
        fitting = [Rung(probe.height, smallest.max_kbps, smallest.audio_kbps, smallest.crf)]
    chosen: list[tuple[str, int, int, Rung]] = []
    for rung in sorted(fitting, key=lambda r: r.height, reverse=True):
        width, height = scaled_size(probe.width, probe.height, rung.height)
        if any(h == height for _, _, h, _ in chosen):
            continue
        chosen.append((f"{height}p", width, height, rung))
    return chosen


def _display_width(stream: VideoStream) -> int:
    ctx = stream.codec_context
    sar = ctx.sample_aspect_ratio
    if sar and sar.numerator > 0 and sar.denominator > 0 and sar != 1:
        return max(2, round(ctx.width * sar))
    return int(ctx.width)


def probe(container: InputContainer, limits: TranscodeLimits) -> Probe:
    if not container.streams.video:
        raise _MediaError("the file has no video track")
    stream = container.streams.video[0]
    width, height = _display_width(stream), int(stream.codec_context.height)
    if width <= 0 or height <= 0:
        raise _MediaError("the video track has no picture size")
    if width > limits.max_width or height > limits.max_height:
        raise _MediaError(
            f"the video is {width}x{height}; at most {limits.max_width}x{limits.max_height} "
            "is accepted"
        )
    duration: float | None = None
    if container.duration is not None and container.duration > 0:
        duration = container.duration / av.time_base
    elif stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    if duration is not None and duration > limits.max_duration_seconds:
        raise _MediaError(
            f"the video lasts {duration:.0f} s; at most {limits.max_duration_seconds:.0f} s "
            "is accepted"
        )
    rate = stream.average_rate or stream.guessed_rate or Fraction(25)
    fps = Fraction(rate).limit_denominator(1001)
    if not 1 <= fps <= 120:
        fps = Fraction(25)
    return Probe(width, height, duration, fps, bool(container.streams.audio))


def _open_output(
    output: _Output, probe_: Probe, rung: Rung, limits: TranscodeLimits, with_audio: bool
) -> tuple[OutputContainer, VideoStream, AudioStream | None]:
    out = av.open(str(output.path), mode="w", format="mp4", options={"movflags": "faststart"})
    video = out.add_stream("libx264", rate=probe_.fps)
    video.width, video.height, video.pix_fmt = output.width, output.height, "yuv420p"
    video.codec_context.time_base = 1 / probe_.fps
    gop = max(1, round(probe_.fps * 2))
    video.options = {
        "preset": limits.preset,
        "crf": str(rung.crf),
        "maxrate": f"{rung.max_kbps}k",
        "bufsize": f"{rung.max_kbps * 2}k",
        "g": str(gop),
        "profile": "high",
    }
    audio: AudioStream | None = None
    if with_audio:
        audio = out.add_stream("aac", rate=48_000, layout="stereo")
        audio.bit_rate = rung.audio_kbps * 1000
    return out, video, audio


class _Timeline:
    """Output pts in 1/fps units from the decoded frames' times, counted from the first
    video frame: monotonic, no duplicates (variable-rate or broken sources would
    otherwise make x264 refuse the frames)."""

    def __init__(self, fps: Fraction) -> None:
        self._fps = fps
        self._last = -1
        self._count = 0
        self._origin: float | None = None

    def relative(self, seconds: float | None, *, video: bool) -> float | None:
        if seconds is None:
            return None
        if self._origin is None and video:
            self._origin = seconds
        return seconds - (self._origin or 0.0)

    def next_pts(self, seconds: float | None) -> int | None:
        wanted = self._count if seconds is None else round(seconds * self._fps)
        self._count += 1
        if wanted <= self._last:
            return None
        self._last = wanted
        return wanted


def _frame_seconds(frame: av.VideoFrame | av.AudioFrame) -> float | None:
    if frame.pts is None or frame.time_base is None:
        return None
    return float(frame.pts * frame.time_base)


def _thumbnail(frame: av.VideoFrame, height: int) -> bytes:
    width, height = scaled_size(frame.width, frame.height, height)
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height = width, height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    encoder.options = {"qscale": "3"}
    picture = frame.reformat(width=width, height=height, format="yuvj420p")
    picture.pts = 0
    packets = encoder.encode(picture) + encoder.encode(None)
    return b"".join(bytes(p) for p in packets)


def _measure(output: _Output) -> _Measured:
    data = output.path.read_bytes()
    with av.open(str(output.path)) as check:
        stream = check.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        duration = (check.duration or 0) / av.time_base
    if duration <= 0:
        raise _MediaError("the encoder produced an empty video (no decodable frames)")
    return _Measured(
        name=output.name,
        data=data,
        width=width,
        height=height,
        duration_seconds=duration,
        bitrate_kbps=max(1, round(len(data) * 8 / duration / 1000)),
    )


def _decode(container: InputContainer, with_audio: bool) -> Iterator[Any]:
    streams: list[Any] = [container.streams.video[0]]
    if with_audio:
        streams.append(container.streams.audio[0])
    for stream in streams:
        stream.thread_type = "AUTO"
    for packet in container.demux(*streams):
        yield from packet.decode()


def transcode_file(source: Path, workdir: Path, limits: TranscodeLimits) -> _Produced:
    """The synchronous core: source file in, measured MP4 renditions (+ thumbnail) out."""
    produced = _Produced()
    with av.open(str(source), mode="r") as container:
        found = probe(container, limits)
        produced.probe = found
        rungs = ladder_for(found, limits.ladder)
        outputs: list[tuple[_Output, OutputContainer, VideoStream, AudioStream | None]] = []
        try:
            for name, width, height, rung in rungs:
                output = _Output(name, workdir / f"{name}.mp4", width, height)
                outputs.append(
                    (output, *_open_output(output, found, rung, limits, found.has_audio))
                )
            timeline = _Timeline(found.fps)
            thumb_at = (found.duration_seconds or 0) * 0.1
            thumb_frame: av.VideoFrame | None = None
            frames = decoded = 0
            # However the timestamps lie, a source may not make us decode more than this.
            max_decoded = math.ceil(limits.max_duration_seconds * _MAX_SOURCE_FPS)
            for frame in _decode(container, found.has_audio):
                is_video = isinstance(frame, av.VideoFrame)
                seconds = timeline.relative(_frame_seconds(frame), video=is_video)
                decoded += is_video
                if decoded > max_decoded or (
                    seconds is not None and seconds > limits.max_duration_seconds
                ):
                    raise _MediaError(
                        f"the video lasts more than {limits.max_duration_seconds:.0f} s"
                    )
                if not is_video:
                    for _, out, _, audio in outputs:
                        if audio is not None:
                            frame.pts = None  # the encoder's resampler re-times the audio
                            out.mux(audio.encode(frame))
                    continue
                pts = timeline.next_pts(seconds)
                if pts is None:
                    continue
                frames += 1
                if thumb_frame is None or (seconds is not None and seconds <= thumb_at):
                    thumb_frame = frame
                for output, out, video, _ in outputs:
                    scaled = frame.reformat(
                        width=output.width,
                        height=output.height,
                        format="yuv420p",
                        interpolation="BICUBIC",
                    )
                    scaled.pts, scaled.time_base = pts, 1 / found.fps
                    out.mux(video.encode(scaled))
            if frames == 0:
                raise _MediaError("the video track has no decodable frames")
            for _, out, video, audio in outputs:
                out.mux(video.encode(None))
                if audio is not None:
                    out.mux(audio.encode(None))
        finally:
            for _, out, _, _ in outputs:
                out.close()
        if thumb_frame is not None:
            produced.thumbnail = _thumbnail(thumb_frame, limits.thumbnail_height)
    produced.renditions = [_measure(output) for output, *_ in outputs]
    return produced


def _transcode_bytes(data: bytes, limits: TranscodeLimits) -> _Produced:
    with tempfile.TemporaryDirectory(prefix="cmh-transcode-") as workdir:
        source = Path(workdir) / "source"
        source.write_bytes(data)
        try:
            return transcode_file(source, Path(workdir), limits)
        except _MediaError as exc:
            raise TranscodingFailed(str(exc)) from exc
        except (av.FFmpegError, ValueError, ZeroDivisionError, OverflowError, IndexError) as exc:
            # FFmpeg refused the bytes (not a video, truncated, unsupported codec, ...).
            detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise TranscodingFailed(f"the file could not be read as a video: {detail}") from exc


class PyAvTranscoder:
    """``Transcoder`` with FFmpeg in-process. Renditions go to
    ``assets/<id>/renditions/<height>p/video.mp4``, the poster to
    ``assets/<id>/thumbnail.jpg``."""

    def __init__(self, storage: ObjectStorage, limits: TranscodeLimits | None = None) -> None:
        self._storage = storage
        self.limits = limits or TranscodeLimits()
        self.last_seconds: float | None = None
        self._slots = asyncio.Semaphore(max(1, self.limits.max_concurrent))

    async def transcode(self, asset: Asset) -> Transcoded:
        stored = await self._storage.head(asset.source_key)
        if stored is None:
            raise TranscodingFailed("the uploaded file is missing from storage")
        if stored.size_bytes > self.limits.max_source_bytes:
            raise TranscodingFailed(
                f"the file has {stored.size_bytes} bytes; at most "
                f"{self.limits.max_source_bytes} can be transcoded"
            )
        async with self._slots:  # also bounds how many sources sit in memory at once
            data = await self._storage.get_bytes(asset.source_key)
            if data is None:
                raise TranscodingFailed("the uploaded file is missing from storage")
            if len(data) > self.limits.max_source_bytes:
                raise TranscodingFailed(
                    f"the file has {len(data)} bytes; at most "
                    f"{self.limits.max_source_bytes} can be transcoded"
                )
            if not data:
                raise TranscodingFailed("the uploaded file is empty")
            started = time.perf_counter()
            produced = await asyncio.to_thread(_transcode_bytes, data, self.limits)
            self.last_seconds = time.perf_counter() - started
            del data
        log.info(
            "transcoded asset %s into %d rendition(s) in %.2f s",
            asset.id,
            len(produced.renditions),
            self.last_seconds,
        )

        renditions: list[Rendition] = []
        for measured in produced.renditions:
            key = f"assets/{asset.id}/renditions/{measured.name}/video.mp4"
            await self._storage.put_bytes(key, measured.data, content_type="video/mp4")
            renditions.append(
                Rendition(
                    name=measured.name,
                    key=key,
                    transcoded=True,
                    bitrate_kbps=measured.bitrate_kbps,
                    width=measured.width,
                    height=measured.height,
                )
            )
        thumbnail_key: str | None = None
        if produced.thumbnail:
            thumbnail_key = f"assets/{asset.id}/thumbnail.jpg"
            await self._storage.put_bytes(
                thumbnail_key, produced.thumbnail, content_type="image/jpeg"
            )
        return Transcoded(tuple(renditions), thumbnail_key=thumbnail_key)
