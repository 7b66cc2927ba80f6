"""The uploader says "done": we check storage really has the object, then queue processing.

Processing runs as a background job: the ``content.asset_uploaded`` event recorded here
leaves through the outbox and the ``content.processing`` consumer picks it up.
"""

from __future__ import annotations

from cmh.content.application.common import load_visible_asset
from cmh.content.application.ports import AssetRepository, ContentUnitOfWork, ObjectStorage
from cmh.content.application.views import asset_view
from cmh.content.domain.asset import Asset, AssetStatus
from cmh.content.domain.errors import UploadMissing
from cmh.contracts.http.content import AssetResponse
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock


class ConfirmUpload:
    def __init__(
        self, assets: AssetRepository, storage: ObjectStorage, uow: ContentUnitOfWork, clock: Clock
    ) -> None:
        self._assets = assets
        self._storage = storage
        self._uow = uow
        self._clock = clock

    async def execute(self, caller: Principal, asset_id: str) -> AssetResponse:
        return asset_view(await self._confirm(caller, asset_id))

    async def _confirm(self, caller: Principal, asset_id: str) -> Asset:
        async with self._uow:
            asset = await load_visible_asset(self._assets, asset_id, caller)
            if asset.status is not AssetStatus.CREATED:
                # A retried confirmation: the first one already queued the processing.
                return asset
            stored = await self._storage.head(asset.source_key)
            if stored is None:
                raise UploadMissing(f"nothing was uploaded for asset {asset_id} yet")
            asset.confirm_upload(stored.size_bytes, self._clock.now())
            await self._assets.save(asset)
            await self._uow.commit()
        return asset
