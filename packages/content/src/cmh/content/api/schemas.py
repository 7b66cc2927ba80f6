"""HTTP request and response bodies of the content API (msgspec)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.content.application.playback_url import Playback
from cmh.content.application.ports import PresignedUpload
from cmh.content.domain.asset import MAX_SIZE_BYTES, Asset, AssetKind, Rendition
from cmh.contracts.http.content import (
    AssetResponse,
    PlaybackResponse,
    RenditionResponse,
    SignedCaptionResponse,
)

LARGEST_ASSET_BYTES = max(MAX_SIZE_BYTES.values())


class AssetCreate(msgspec.Struct, forbid_unknown_fields=True):
    filename: Annotated[str, Meta(min_length=1, max_length=255)]
    content_type: Annotated[str, Meta(min_length=3, max_length=100, pattern=r"^[\w.+-]+/[\w.+-]+$")]
    size_bytes: Annotated[
        int, Meta(gt=0, le=LARGEST_ASSET_BYTES, description="the exact size of the file to upload")
    ]
    kind: AssetKind


class UploadOut(msgspec.Struct):
    url: str
    method: str
    headers: dict[str, str]
    expires_at: datetime

    @classmethod
    def of(cls, u: PresignedUpload) -> UploadOut:
        return cls(url=u.url, method=u.method, headers=dict(u.headers), expires_at=u.expires_at)


class AssetRegisteredOut(msgspec.Struct):
    asset: AssetResponse
    upload: UploadOut


# The asset and playback bodies are ``contracts`` Structs (other services read them):
# content answers those very types, on its public routes too.


def rendition_response(r: Rendition) -> RenditionResponse:
    return RenditionResponse(
        name=r.name,
        transcoded=r.transcoded,
        bitrate_kbps=r.bitrate_kbps,
        width=r.width,
        height=r.height,
    )


def asset_response(a: Asset) -> AssetResponse:
    return AssetResponse(
        id=a.id,
        owner_id=a.owner_id,
        kind=a.kind.value,
        filename=a.filename,
        content_type=a.content_type,
        size_bytes=a.size_bytes,
        status=a.status.value,
        failure_reason=a.failure_reason,
        renditions=[rendition_response(r) for r in a.renditions],
        caption_languages=[c.language for c in a.captions],
        created_at=a.created_at,
        updated_at=a.updated_at,
    )


def playback_response(p: Playback) -> PlaybackResponse:
    return PlaybackResponse(
        url=p.url,
        expires_at=p.expires_at,
        rendition=rendition_response(p.rendition),
        captions=[SignedCaptionResponse(language=c.language, url=c.url) for c in p.captions],
        media_cache_control=p.media_cache_control,
    )
