"""Asset <-> plain document (every field but ``_id``/``version``), shared by the stores
that keep an asset as one document: MongoDB, and SQL where no MongoDB is deployed."""

from __future__ import annotations

from typing import Any

from cmh.content.domain.asset import Asset, AssetKind, AssetStatus, Caption, Rendition


def to_document(asset: Asset) -> dict[str, Any]:
    """Every field except ``_id``, ``version`` and ``outbox``."""
    return {
        "owner_id": asset.owner_id,
        "kind": asset.kind.value,
        "filename": asset.filename,
        "content_type": asset.content_type,
        "size_bytes": asset.size_bytes,
        "source_key": asset.source_key,
        "status": asset.status.value,
        "created_at": asset.created_at,
        "updated_at": asset.updated_at,
        "stored_bytes": asset.stored_bytes,
        "failure_reason": asset.failure_reason,
        "renditions": [
            {
                "name": r.name,
                "key": r.key,
                "transcoded": r.transcoded,
                "bitrate_kbps": r.bitrate_kbps,
                "width": r.width,
                "height": r.height,
            }
            for r in asset.renditions
        ],
        "captions": [{"language": c.language, "key": c.key} for c in asset.captions],
        "thumbnail_key": asset.thumbnail_key,
        "attached_to": list(asset.attached_to),
    }


def from_document(doc: dict[str, Any]) -> Asset:
    return Asset(
        id=doc["_id"],
        owner_id=doc["owner_id"],
        kind=AssetKind(doc["kind"]),
        filename=doc["filename"],
        content_type=doc["content_type"],
        size_bytes=doc["size_bytes"],
        source_key=doc["source_key"],
        status=AssetStatus(doc["status"]),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        stored_bytes=doc.get("stored_bytes"),
        failure_reason=doc.get("failure_reason"),
        renditions=tuple(Rendition(**r) for r in doc.get("renditions", [])),
        captions=tuple(Caption(**c) for c in doc.get("captions", [])),
        thumbnail_key=doc.get("thumbnail_key"),
        attached_to=tuple(doc.get("attached_to", ())),
        version=doc["version"],
    )
