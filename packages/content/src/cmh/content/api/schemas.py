"""Request bodies of the content API (the responses are the application's read models,
``cmh.content.application.views``)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from cmh.content.domain.asset import MAX_SIZE_BYTES, AssetKind

LARGEST_ASSET_BYTES = max(MAX_SIZE_BYTES.values())


class AssetCreate(msgspec.Struct, forbid_unknown_fields=True):
    filename: Annotated[str, Meta(min_length=1, max_length=255)]
    content_type: Annotated[str, Meta(min_length=3, max_length=100, pattern=r"^[\w.+-]+/[\w.+-]+$")]
    size_bytes: Annotated[
        int, Meta(gt=0, le=LARGEST_ASSET_BYTES, description="the exact size of the file to upload")
    ]
    kind: AssetKind
