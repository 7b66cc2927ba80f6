"""What happens to a media asset, as the Asset aggregate records it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the asset module records these events
    from cmh.content.domain.asset import Rendition


@dataclass(frozen=True)
class AssetRegistered:
    asset_id: str
    owner_id: str
    kind: str
    filename: str
    content_type: str
    size_bytes: int


@dataclass(frozen=True)
class AssetUploaded:
    asset_id: str
    owner_id: str
    kind: str
    source_key: str
    stored_bytes: int


@dataclass(frozen=True)
class AssetReady:
    asset_id: str
    owner_id: str
    kind: str
    renditions: tuple[Rendition, ...]


@dataclass(frozen=True)
class AssetFailed:
    asset_id: str
    owner_id: str
    reason: str
