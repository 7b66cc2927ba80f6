"""The Content service's internal HTTP API (``/internal/v1/content/assets``), used by
courses. Content answers with these Structs (its public asset routes too); a client
decodes these same Structs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

AssetKindName = Literal["video", "image", "document", "caption"]


class RenditionResponse(msgspec.Struct, frozen=True, kw_only=True):
    """One encoding of an asset; ``transcoded`` is False for a plain copy."""

    name: str
    transcoded: bool
    bitrate_kbps: int | None
    width: int | None
    height: int | None


class AssetResponse(msgspec.Struct, frozen=True, kw_only=True):
    """An asset: ``PUT /internal/v1/content/assets/{id}/courses/{course_id}`` (the caller's
    own token) answers it once the course may play the asset."""

    id: str
    owner_id: str
    kind: AssetKindName
    filename: str
    content_type: str
    size_bytes: int
    status: str  # created, uploaded, processing, ready, failed
    failure_reason: str | None
    renditions: list[RenditionResponse]
    caption_languages: list[str]
    created_at: datetime
    updated_at: datetime


class SignedCaptionResponse(msgspec.Struct, frozen=True, kw_only=True):
    language: str
    url: str


class PlaybackResponse(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /internal/v1/content/assets/{id}/playback?user_id=&course_id=``: a signed URL
    for one learner, valid until ``expires_at``."""

    url: str
    expires_at: datetime
    rendition: RenditionResponse
    captions: list[SignedCaptionResponse]
    media_cache_control: str
