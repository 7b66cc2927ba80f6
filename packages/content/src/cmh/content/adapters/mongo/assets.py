"""AssetRepository on MongoDB: reads go to the database, writes are staged in the
``MongoUnitOfWork`` and land with its commit (with their events, atomically per asset)."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from cmh.content.adapters.asset_documents import from_document
from cmh.content.adapters.mongo.documents import ASSETS
from cmh.content.adapters.mongo.unit_of_work import MongoUnitOfWork
from cmh.content.domain.asset import Asset


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[ASSETS].create_index([("owner_id", ASCENDING)], name="assets_by_owner")


class MongoAssetRepository:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], uow: MongoUnitOfWork) -> None:
        self._assets = db[ASSETS]
        self._uow = uow

    async def get(self, asset_id: str) -> Asset | None:
        doc = await self._assets.find_one({"_id": asset_id}, {"outbox": 0})
        return from_document(doc) if doc else None

    async def list_by_owner(self, owner_id: str) -> list[Asset]:
        cursor = self._assets.find({"owner_id": owner_id}, {"outbox": 0}).sort("_id", ASCENDING)
        return [from_document(doc) async for doc in cursor]

    async def add(self, asset: Asset) -> None:
        self._uow.stage_new(asset)

    async def save(self, asset: Asset) -> None:
        self._uow.stage_change(asset)
