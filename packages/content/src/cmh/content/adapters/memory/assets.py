"""In-memory AssetRepository: keeps copies, so callers cannot change stored state by
accident, and enforces the same optimistic concurrency as the MongoDB adapter."""

from __future__ import annotations

from cmh.content.domain.asset import Asset
from cmh.content.domain.errors import StaleAsset


class MemoryAssetRepository:
    def __init__(self) -> None:
        self.items: dict[str, Asset] = {}

    async def get(self, asset_id: str) -> Asset | None:
        stored = self.items.get(asset_id)
        return stored.copy() if stored else None

    async def list_by_owner(self, owner_id: str) -> list[Asset]:
        return [a.copy() for a in self.items.values() if a.owner_id == owner_id]

    async def add(self, asset: Asset) -> None:
        if asset.id in self.items:
            raise StaleAsset(f"asset {asset.id} already exists")
        asset.version = 1
        self.items[asset.id] = asset.copy()

    async def save(self, asset: Asset) -> None:
        stored = self.items.get(asset.id)
        if stored is None or stored.version != asset.version:
            raise StaleAsset(f"asset {asset.id} was changed by someone else; reload and retry")
        asset.version += 1
        self.items[asset.id] = asset.copy()
