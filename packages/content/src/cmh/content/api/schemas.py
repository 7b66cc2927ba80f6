"""HTTP request and response bodies of the content API (msgspec)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.content.application.playback_url import Playback
from cmh.content.application.ports import PresignedUpload
from cmh.content.domain.asset import MAX_SIZE_BYTES, Asset, AssetKind, Rendition

LARGEST_ASSET_BYTES = max(MAX_SIZE_BYTES.values())


class AssetCreate(msgspec.Struct, forbid_unknown_fields=True):
    filename: Annotated[str, Meta(min_length=1, max_length=255)]
    content_type: Annotated[str, Meta(min_length=3, max_length=100, pattern=r"^[\w.+-]+/[\w.+-]+$")]
    size_bytes: Annotated[
        int, Meta(gt=0, le=LARGEST_ASSET_BYTES, description="the exact size of the file to upload")
    ]
    kind: AssetKind


class RenditionOut(msgspec.Struct):
    name: str
    transcoded: bool
    bitrate_kbps: int | None
    width: int | None
    height: int | None

    @classmethod
    def of(cls, r: Rendition) -> RenditionOut:
        return cls(r.name, r.transcoded, r.bitrate_kbps, r.width, r.height)


class AssetOut(msgspec.Struct):
    id: str
    owner_id: str
    kind: AssetKind
    filename: str
    content_type: str
    size_bytes: int
    status: str
    failure_reason: str | None
    renditions: list[RenditionOut]
    caption_languages: list[str]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, a: Asset) -> AssetOut:
        return cls(
            id=a.id,
            owner_id=a.owner_id,
            kind=a.kind,
            filename=a.filename,
            content_type=a.content_type,
            size_bytes=a.size_bytes,
            status=a.status.value,
            failure_reason=a.failure_reason,
            renditions=[RenditionOut.of(r) for r in a.renditions],
            caption_languages=[c.language for c in a.captions],
            created_at=a.created_at,
            updated_at=a.updated_at,
        )


class UploadOut(msgspec.Struct):
    url: str
    method: str
    headers: dict[str, str]
    expires_at: datetime

    @classmethod
    def of(cls, u: PresignedUpload) -> UploadOut:
        return cls(url=u.url, method=u.method, headers=dict(u.headers), expires_at=u.expires_at)


class AssetRegisteredOut(msgspec.Struct):
    asset: AssetOut
    upload: UploadOut


class SignedCaptionOut(msgspec.Struct):
    language: str
    url: str


class PlaybackOut(msgspec.Struct):
    url: str
    expires_at: datetime
    rendition: RenditionOut
    captions: list[SignedCaptionOut]
    media_cache_control: str

    @classmethod
    def of(cls, p: Playback) -> PlaybackOut:
        return cls(
            url=p.url,
            expires_at=p.expires_at,
            rendition=RenditionOut.of(p.rendition),
            captions=[SignedCaptionOut(c.language, c.url) for c in p.captions],
            media_cache_control=p.media_cache_control,
        )
