"""What content's use cases need from the outside world.

Events and the inbox go through the kernel's ``UnitOfWork`` port (see
``adapters/mongo/unit_of_work.py`` for how the MongoDB profile keeps them atomic).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec

from cmh.content.domain.asset import Asset, Rendition
from cmh.kernel.uow import UnitOfWork


class ContentUnitOfWork(UnitOfWork, Protocol):
    """The unit of work content's use cases run in: its own DI key, so one container can
    hold content's (MongoDB) unit of work next to another context's SQL one."""


class AssetRepository(Protocol):
    async def get(self, asset_id: str) -> Asset | None: ...

    async def list_by_owner(self, owner_id: str) -> list[Asset]: ...

    async def add(self, asset: Asset) -> None:
        """Store a new asset; it becomes durable with the unit of work's commit."""

    async def save(self, asset: Asset) -> None:
        """Store a change; raises ``StaleAsset`` (now or at commit) when someone saved first."""


class PresignedUpload(msgspec.Struct, frozen=True):
    url: str
    method: str
    expires_at: datetime
    headers: dict[str, str] = {}


class StoredObject(msgspec.Struct, frozen=True):
    key: str
    size_bytes: int
    content_type: str | None = None


class ObjectStorage(Protocol):
    async def presign_upload(
        self, key: str, *, content_type: str, expires_at: datetime
    ) -> PresignedUpload: ...

    async def head(self, key: str) -> StoredObject | None:
        """The object's metadata, or None when nothing is stored under ``key``."""

    async def get_bytes(self, key: str) -> bytes | None:
        """The object's content, or None when nothing is stored under ``key``. Callers
        bound the size first (``head``): the whole object is read into memory."""

    async def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None: ...

    async def copy(self, source_key: str, target_key: str) -> None: ...


class TranscodingFailed(Exception):
    """The transcoder could not produce any rendition; ``reason`` is shown to the owner."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Transcoded(msgspec.Struct, frozen=True):
    """What a transcoder stored: the renditions and, when it made one, a poster frame."""

    renditions: tuple[Rendition, ...]
    thumbnail_key: str | None = None


class Transcoder(Protocol):
    async def transcode(self, asset: Asset) -> Transcoded:
        """Renditions actually produced from ``asset.source_key``; raises TranscodingFailed
        when the source cannot be turned into any (the reason is shown to the owner)."""


class UrlSigner(Protocol):
    def sign(self, key: str, *, expires_at: datetime) -> str:
        """A URL that serves ``key`` until ``expires_at`` and is refused afterwards."""
