"""Content's expected failures, as kinds of the kernel's error model (stable codes)."""

from __future__ import annotations

from cmh.kernel.errors import Conflict, InvalidInput, NotFound


class AssetNotFound(NotFound):
    code = "asset_not_found"

    def __init__(self, asset_id: str) -> None:
        super().__init__(f"no asset {asset_id!r}")


class InvalidAsset(InvalidInput):
    code = "invalid_asset"


class InvalidTransition(Conflict):
    code = "invalid_asset_transition"


class AssetNotPlayable(Conflict):
    code = "asset_not_playable"


class UploadMissing(Conflict):
    code = "upload_missing"


class StaleAsset(Conflict):
    """Someone else saved the asset since it was read (optimistic concurrency)."""

    code = "asset_modified_concurrently"
