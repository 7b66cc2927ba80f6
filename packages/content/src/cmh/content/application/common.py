"""Small helpers the use cases share."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from cmh.content.application.ports import AssetRepository
from cmh.content.domain.asset import Asset
from cmh.content.domain.errors import AssetNotFound
from cmh.kernel.auth.principal import Principal


class LinkLifetimes(msgspec.Struct, frozen=True, kw_only=True):
    """How long a presigned upload URL and a signed playback URL stay valid."""

    upload: timedelta
    playback: timedelta


async def load_asset(assets: AssetRepository, asset_id: str) -> Asset:
    asset = await assets.get(asset_id)
    if asset is None:
        raise AssetNotFound(asset_id)
    return asset


async def load_visible_asset(assets: AssetRepository, asset_id: str, caller: Principal) -> Asset:
    """Someone else's asset answers exactly like a missing one: ids are not disclosed."""
    asset = await load_asset(assets, asset_id)
    if not asset.visible_to(caller.user_id, is_admin=caller.is_admin):
        raise AssetNotFound(asset_id)
    return asset
