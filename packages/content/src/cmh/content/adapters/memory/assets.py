"""In-memory AssetRepository: keeps copies, so callers cannot change stored state by
accident, enforces the same optimistic concurrency as the MongoDB adapter, and stages its
writes in the unit of work's transaction (``MemoryTable``) as the MongoDB unit of work
does: read back by it, kept only when it commits."""

from __future__ import annotations

from cmh.content.domain.asset import Asset
from cmh.content.domain.errors import StaleAsset
from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork


class MemoryAssetRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: MemoryTable[str, Asset] = MemoryTable(uow)

    @property
    def items(self) -> dict[str, Asset]:
        """What has been committed."""
        return self._table.committed

    async def get(self, asset_id: str) -> Asset | None:
        stored = self._table.get(asset_id)
        return stored.copy() if stored else None

    async def list_by_owner(self, owner_id: str) -> list[Asset]:
        return [a.copy() for a in self._table.values() if a.owner_id == owner_id]

    async def add(self, asset: Asset) -> None:
        if asset.id in self._table:
            raise StaleAsset(f"asset {asset.id} already exists")
        asset.version = 1
        self._uow.track(asset)  # its recorded events leave with the commit
        self._table.put(asset.id, asset.copy())

    async def save(self, asset: Asset) -> None:
        stored = self._table.get(asset.id)
        if stored is None or stored.version != asset.version:
            raise StaleAsset(f"asset {asset.id} was changed by someone else; reload and retry")
        asset.version += 1
        self._uow.track(asset)
        self._table.put(asset.id, asset.copy())
