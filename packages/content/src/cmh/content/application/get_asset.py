"""Read one asset: its owner or an admin."""

from __future__ import annotations

from cmh.content.application.common import load_visible_asset
from cmh.content.application.ports import AssetRepository
from cmh.content.application.views import asset_view
from cmh.contracts.http.content import AssetResponse
from cmh.kernel.auth.principal import Principal


class GetAsset:
    def __init__(self, assets: AssetRepository) -> None:
        self._assets = assets

    async def execute(self, caller: Principal, asset_id: str) -> AssetResponse:
        return asset_view(await load_visible_asset(self._assets, asset_id, caller))
