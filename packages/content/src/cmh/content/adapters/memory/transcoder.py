"""A scripted Transcoder for tests: returns the renditions it is told to, or fails."""

from __future__ import annotations

from cmh.content.application.ports import Transcoded, TranscodingFailed
from cmh.content.domain.asset import Asset, Rendition

LADDER: tuple[tuple[str, int, int, int], ...] = (
    ("1080p", 1920, 1080, 5000),
    ("720p", 1280, 720, 2800),
    ("480p", 854, 480, 1400),
)


class ScriptedTranscoder:
    def __init__(self, *, fail_with: str | None = None) -> None:
        self.fail_with = fail_with
        self.transcoded: list[str] = []

    async def transcode(self, asset: Asset) -> Transcoded:
        self.transcoded.append(asset.id)
        if self.fail_with is not None:
            raise TranscodingFailed(self.fail_with)
        renditions = tuple(
            Rendition(
                name=name,
                key=f"assets/{asset.id}/hls/{name}/index.m3u8",
                transcoded=True,
                bitrate_kbps=bitrate,
                width=width,
                height=height,
            )
            for name, width, height, bitrate in LADDER
        )
        return Transcoded(renditions, thumbnail_key=f"assets/{asset.id}/thumbnail.jpg")
