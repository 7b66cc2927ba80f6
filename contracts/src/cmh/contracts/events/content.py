"""Events published by the Content delivery context (topic ``content.asset``).

The message key is the asset id, so one asset's events stay in order.
"""

from __future__ import annotations

from typing import ClassVar

import msgspec

from cmh.contracts.events.base import IntegrationEvent

CONTENT_ASSET_TOPIC = "content.asset"


class AssetRegisteredV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "content.asset_registered"
    TOPIC: ClassVar[str] = CONTENT_ASSET_TOPIC
    asset_id: str
    owner_id: str
    kind: str
    filename: str
    content_type: str
    size_bytes: int


class AssetUploadedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "content.asset_uploaded"
    TOPIC: ClassVar[str] = CONTENT_ASSET_TOPIC
    asset_id: str
    owner_id: str
    kind: str
    source_key: str
    stored_bytes: int


class RenditionV1(msgspec.Struct, frozen=True, kw_only=True):
    """A rendition inside ``AssetReadyV1``; ``transcoded`` is False for a plain copy."""

    name: str
    transcoded: bool
    width: int | None = None
    height: int | None = None
    bitrate_kbps: int | None = None


class AssetReadyV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "content.asset_ready"
    TOPIC: ClassVar[str] = CONTENT_ASSET_TOPIC
    asset_id: str
    owner_id: str
    kind: str
    renditions: list[RenditionV1]


class AssetFailedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "content.asset_failed"
    TOPIC: ClassVar[str] = CONTENT_ASSET_TOPIC
    asset_id: str
    owner_id: str
    reason: str


CONTENT_EVENTS: tuple[type[IntegrationEvent], ...] = (
    AssetRegisteredV1,
    AssetUploadedV1,
    AssetReadyV1,
    AssetFailedV1,
)
