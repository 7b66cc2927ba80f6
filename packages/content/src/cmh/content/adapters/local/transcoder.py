"""The embedded profile's Transcoder. There is no ffmpeg here, so it does NOT transcode:
it copies the uploaded source to one rendition key and says so (``transcoded=False``,
no width/height/bitrate claimed)."""

from __future__ import annotations

from cmh.content.application.ports import ObjectStorage
from cmh.content.domain.asset import Asset, Rendition, storage_filename


class RecordingTranscoder:
    def __init__(self, storage: ObjectStorage) -> None:
        self._storage = storage
        self.copied: list[str] = []

    async def transcode(self, asset: Asset) -> tuple[Rendition, ...]:
        key = f"assets/{asset.id}/renditions/original/{storage_filename(asset.filename)}"
        await self._storage.copy(asset.source_key, key)
        self.copied.append(asset.id)
        return (Rendition(name="original", key=key, transcoded=False),)
