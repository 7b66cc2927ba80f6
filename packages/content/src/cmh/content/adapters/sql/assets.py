"""AssetRepository in SQL: the asset as one JSON document with an optimistic version,
on the request's session, so it commits with the unit of work (the kernel outbox)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.content.adapters.asset_documents import from_document, to_document
from cmh.content.adapters.sql.tables import assets
from cmh.content.domain.asset import Asset
from cmh.content.domain.errors import StaleAsset
from cmh.kernel.uow import UnitOfWork

_TIMES = ("created_at", "updated_at")


def _to_json(asset: Asset) -> dict[str, Any]:
    document = to_document(asset)
    for field in _TIMES:
        document[field] = document[field].isoformat()
    return document


def _from_row(asset_id: str, version: int, document: dict[str, Any]) -> Asset:
    restored = {**document, "_id": asset_id, "version": version}
    for field in _TIMES:
        restored[field] = datetime.fromisoformat(document[field])
    return from_document(restored)


class SqlAssetRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow  # collects what saved assets recorded, for the outbox

    async def get(self, asset_id: str) -> Asset | None:
        row = (
            await self._session.execute(
                select(assets.c.version, assets.c.document).where(assets.c.id == asset_id)
            )
        ).one_or_none()
        return _from_row(asset_id, row.version, row.document) if row else None

    async def list_by_owner(self, owner_id: str) -> list[Asset]:
        rows = await self._session.execute(
            select(assets.c.id, assets.c.version, assets.c.document)
            .where(assets.c.owner_id == owner_id)
            .order_by(assets.c.id)
        )
        return [_from_row(r.id, r.version, r.document) for r in rows]

    async def add(self, asset: Asset) -> None:
        self._uow.track(asset)
        # No savepoint (SQLite's driver would commit it): check, then let the primary key
        # settle a race; the unit of work rolls the failed transaction back.
        exists = await self._session.scalar(select(assets.c.id).where(assets.c.id == asset.id))
        if exists is not None:
            raise StaleAsset(f"asset {asset.id} already exists")
        try:
            await self._session.execute(
                insert(assets).values(
                    id=asset.id, owner_id=asset.owner_id, version=1, document=_to_json(asset)
                )
            )
        except IntegrityError as exc:
            raise StaleAsset(f"asset {asset.id} already exists") from exc
        asset.version = 1

    async def save(self, asset: Asset) -> None:
        self._uow.track(asset)
        result = await self._session.execute(
            update(assets)
            .where(assets.c.id == asset.id, assets.c.version == asset.version)
            .values(version=asset.version + 1, owner_id=asset.owner_id, document=_to_json(asset))
        )
        if getattr(result, "rowcount", 0) != 1:
            raise StaleAsset(f"asset {asset.id} was changed by someone else; reload and retry")
        asset.version += 1
