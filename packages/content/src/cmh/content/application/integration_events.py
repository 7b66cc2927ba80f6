"""The Content context's domain events as the ``contracts`` events other contexts read."""

from __future__ import annotations

from cmh.content.domain.events import AssetFailed, AssetReady, AssetRegistered, AssetUploaded
from cmh.contracts.events.content import (
    AssetFailedV1,
    AssetReadyV1,
    AssetRegisteredV1,
    AssetUploadedV1,
    RenditionV1,
)
from cmh.kernel.event_mapping import EventMap, Outgoing


def _registered(e: AssetRegistered) -> Outgoing:
    event = AssetRegisteredV1(
        asset_id=e.asset_id,
        owner_id=e.owner_id,
        kind=e.kind,
        filename=e.filename,
        content_type=e.content_type,
        size_bytes=e.size_bytes,
    )
    return Outgoing(event, e.asset_id)


def _uploaded(e: AssetUploaded) -> Outgoing:
    event = AssetUploadedV1(
        asset_id=e.asset_id,
        owner_id=e.owner_id,
        kind=e.kind,
        source_key=e.source_key,
        stored_bytes=e.stored_bytes,
    )
    return Outgoing(event, e.asset_id)


def _ready(e: AssetReady) -> Outgoing:
    renditions = [
        RenditionV1(
            name=r.name,
            transcoded=r.transcoded,
            width=r.width,
            height=r.height,
            bitrate_kbps=r.bitrate_kbps,
        )
        for r in e.renditions
    ]
    event = AssetReadyV1(
        asset_id=e.asset_id, owner_id=e.owner_id, kind=e.kind, renditions=renditions
    )
    return Outgoing(event, e.asset_id)


def _failed(e: AssetFailed) -> Outgoing:
    return Outgoing(
        AssetFailedV1(asset_id=e.asset_id, owner_id=e.owner_id, reason=e.reason), e.asset_id
    )


CONTENT_EVENTS = EventMap(
    {
        AssetRegistered: _registered,
        AssetUploaded: _uploaded,
        AssetReady: _ready,
        AssetFailed: _failed,
    }
)
