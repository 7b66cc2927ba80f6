"""Sample files for the embedded platform demo.

Written by hand: an SVG course poster, a WebVTT caption file and a Markdown study sheet.
Generated in code with PyAV (nothing binary is committed): ``sample_video()``, a short
H.264/AAC MP4 of moving colour bars, a bouncing box and a sine tone. It is a real,
playable file, and the demo runs it through the real transcoder.
"""

from __future__ import annotations

import math
import os
import tempfile
from array import array
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

import av
from av.video.stream import VideoStream

from cmh.content.domain.asset import AssetKind

POSTER_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"
  viewBox="0 0 640 360">
  <rect width="640" height="360" fill="#0b3d91"/>
  <circle cx="520" cy="90" r="60" fill="#ffffff" opacity="0.15"/>
  <text x="40" y="200" font-family="sans-serif" font-size="44" fill="#ffffff">CloudMastersHub</text>
  <text x="40" y="250" font-family="sans-serif" font-size="24" fill="#cfe0ff">AWS Foundations</text>
</svg>
"""

CAPTIONS_VTT = b"""WEBVTT

00:00:00.000 --> 00:00:04.000
Welcome to AWS Foundations on CloudMastersHub.

00:00:04.000 --> 00:00:09.000
In this lesson we create our first S3 bucket.
"""

STUDY_SHEET_MD = b"""# AWS Foundations: study sheet

- Regions contain Availability Zones.
- S3 stores objects in buckets; keys are names, not folders.
- IAM policies allow or deny actions on resources.
"""


@dataclass(frozen=True, slots=True)
class SampleFile:
    asset_id: str
    filename: str
    content_type: str
    kind: AssetKind
    data: bytes


SAMPLES: tuple[SampleFile, ...] = (
    SampleFile(
        "demo-image-aws-poster",
        "aws-foundations-poster.svg",
        "image/svg+xml",
        AssetKind.IMAGE,
        POSTER_SVG,
    ),
    SampleFile(
        "demo-caption-aws-en",
        "aws-foundations-en.vtt",
        "text/vtt",
        AssetKind.CAPTION,
        CAPTIONS_VTT,
    ),
    SampleFile(
        "demo-document-aws-study-sheet",
        "aws-foundations-study-sheet.md",
        "text/markdown",
        AssetKind.DOCUMENT,
        STUDY_SHEET_MD,
    ),
)


# Asset ids of the demo videos. Every demo asset id is fixed, so a restart of the
# embedded platform finds (and skips) what it already has instead of seeding duplicates.
DEMO_VIDEO_ASSET_IDS: tuple[str, ...] = (
    "demo-video-aws-intro",
    "demo-video-azure-intro",
    "demo-video-gcp-intro",
)


def demo_video_filename(asset_id: str) -> str:
    """``demo-video-aws-intro`` -> ``aws-intro.mp4``."""
    return f"{asset_id.removeprefix('demo-video-')}.mp4"


# (Y, U, V) of the classic 75% colour bars (BT.601, limited range).
_BARS: tuple[tuple[int, int, int], ...] = (
    (180, 128, 128),  # white
    (162, 44, 142),  # yellow
    (131, 156, 44),  # cyan
    (112, 72, 58),  # green
    (84, 184, 198),  # magenta
    (65, 100, 212),  # red
    (35, 212, 114),  # blue
    (16, 128, 128),  # black
)
_BOX = (235, 128, 128)  # a white box that bounces over the bars


def _bar_row(width: int, shift: int, channel: int) -> bytes:
    """One row of one plane: the bars scrolled left by ``shift`` pixels."""
    row = bytearray(width)
    bar_width = max(1, math.ceil(width / len(_BARS)))
    for x in range(0, width, bar_width):
        row[x : x + bar_width] = bytes([_BARS[x // bar_width][channel]]) * len(
            row[x : x + bar_width]
        )
    shift %= width
    return bytes(row[shift:] + row[:shift])


def _bounce(position: int, span: int) -> int:
    if span <= 0:
        return 0
    period = 2 * span
    position %= period
    return position if position <= span else period - position


def _plane_bytes(
    rows: bytes,
    plane_width: int,
    plane_height: int,
    line_size: int,
    box: tuple[int, int, int, int],
    value: int,
) -> bytes:
    """A whole plane: the same bar row on every line, the box drawn over it, each line
    padded to the plane's ``line_size``."""
    bx, by, bw, bh = box
    padding = b"\0" * (line_size - plane_width)
    plain = rows + padding
    boxed = rows[:bx] + bytes([value]) * bw + rows[bx + bw :] + padding
    return plain * by + boxed * bh + plain * (plane_height - by - bh)


def _video_frame(index: int, width: int, height: int, fps: int) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "yuv420p")
    shift = index * max(2, width // (fps * 4))
    box_w = box_h = max(2, (height // 5) // 2 * 2)
    bx = _bounce(index * 6, width - box_w) // 2 * 2
    by = _bounce(index * 4, height - box_h) // 2 * 2
    for channel, plane in enumerate(frame.planes):
        scale = 1 if channel == 0 else 2
        plane_w, plane_h = width // scale, height // scale
        box = (bx // scale, by // scale, box_w // scale, box_h // scale)
        rows = _bar_row(plane_w, shift // scale, channel)
        plane.update(_plane_bytes(rows, plane_w, plane_h, plane.line_size, box, _BOX[channel]))
    frame.pts = index
    frame.time_base = Fraction(1, fps)
    return frame


def _tone(samples: int, rate: int, start: int) -> bytes:
    """A 440 Hz sine at a comfortable level, signed 16-bit mono."""
    return array(
        "h", (int(6000 * math.sin(2 * math.pi * 440 * (start + i) / rate)) for i in range(samples))
    ).tobytes()


def write_sample_video(
    path: Path,
    *,
    seconds: float = 6.0,
    width: int = 640,
    height: int = 360,
    fps: int = 25,
    audio: bool = True,
    codec: str = "libx264",
) -> None:
    """An H.264 (``codec``) MP4 test pattern at ``path``; with ``audio`` an AAC sine tone."""
    if width % 2 or height % 2:
        raise ValueError("width and height must be even (yuv420p)")
    frames = max(1, round(seconds * fps))
    rate = 48_000
    with av.open(str(path), mode="w", format="mp4", options={"movflags": "faststart"}) as out:
        video = out.add_stream(codec, rate=fps)
        if not isinstance(video, VideoStream):
            raise ValueError(f"{codec} is not a video encoder")
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if codec == "libx264":
            video.options = {"preset": "veryfast", "crf": "30", "tune": "animation"}
        sound = out.add_stream("aac", rate=rate, layout="mono") if audio else None
        audio_samples = round(frames / fps * rate)
        written = 0
        for index in range(frames):
            out.mux(video.encode(_video_frame(index, width, height, fps)))
            if sound is not None:
                target = min(audio_samples, round((index + 1) / fps * rate))
                while written < target:
                    chunk = min(1024, target - written)
                    tone = av.AudioFrame(format="s16", layout="mono", samples=chunk)
                    tone.planes[0].update(_tone(chunk, rate, written))
                    tone.sample_rate, tone.pts = rate, written
                    tone.time_base = Fraction(1, rate)
                    out.mux(sound.encode(tone))
                    written += chunk
        out.mux(video.encode(None))
        if sound is not None:
            out.mux(sound.encode(None))


def make_sample_video(**options: object) -> bytes:
    """``write_sample_video`` into memory (through a temporary file: the mp4 muxer's
    faststart pass re-reads its output, which needs a real file)."""
    fd, name = tempfile.mkstemp(suffix=".mp4", prefix="cmh-sample-")
    os.close(fd)
    try:
        write_sample_video(Path(name), **options)  # type: ignore[arg-type]
        return Path(name).read_bytes()
    finally:
        Path(name).unlink(missing_ok=True)


@cache
def sample_video() -> bytes:
    """The demo video (6 s, 640x360, 25 fps, H.264 + AAC), made once per process."""
    return make_sample_video()
