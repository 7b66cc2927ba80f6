"""What content's use cases answer, returned as the response body by the controllers.

An asset and a playback are the ``cmh.contracts.http.content`` Structs, the same on the
public and the internal routes, since other services decode them."""

from __future__ import annotations

from datetime import datetime

import msgspec

from cmh.content.application.ports import PresignedUpload
from cmh.content.domain.asset import Asset, Rendition
from cmh.contracts.http.content import AssetResponse, RenditionResponse


class UploadView(msgspec.Struct, frozen=True, kw_only=True):
    """Where and how to send the file's bytes, until ``expires_at``."""

    url: str
    method: str
    headers: dict[str, str]
    expires_at: datetime


class RegisteredAsset(msgspec.Struct, frozen=True, kw_only=True):
    asset: AssetResponse
    upload: UploadView


def rendition_view(rendition: Rendition) -> RenditionResponse:
    return RenditionResponse(
        name=rendition.name,
        transcoded=rendition.transcoded,
        bitrate_kbps=rendition.bitrate_kbps,
        width=rendition.width,
        height=rendition.height,
    )


def asset_view(asset: Asset) -> AssetResponse:
    return AssetResponse(
        id=asset.id,
        owner_id=asset.owner_id,
        kind=asset.kind.value,
        filename=asset.filename,
        content_type=asset.content_type,
        size_bytes=asset.size_bytes,
        status=asset.status.value,
        failure_reason=asset.failure_reason,
        renditions=[rendition_view(r) for r in asset.renditions],
        caption_languages=[c.language for c in asset.captions],
        created_at=asset.created_at,
        updated_at=asset.updated_at,
    )


def upload_view(upload: PresignedUpload) -> UploadView:
    return UploadView(
        url=upload.url,
        method=upload.method,
        headers=dict(upload.headers),
        expires_at=upload.expires_at,
    )
