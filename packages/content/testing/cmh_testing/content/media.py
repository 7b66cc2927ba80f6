"""Videos small enough to transcode in a test."""

from __future__ import annotations

from functools import cache

from cmh.content.demo_media import make_sample_video


@cache
def tiny_video(
    width: int = 160, height: int = 90, *, seconds: float = 1.0, audio: bool = True
) -> bytes:
    """A real H.264 MP4 test pattern small enough to transcode in a test (cached)."""
    return make_sample_video(seconds=seconds, width=width, height=height, fps=25, audio=audio)
