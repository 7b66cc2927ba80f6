"""A course starts using an asset (internal: courses asks when an instructor puts it in a
lesson). Only the asset's owner or an admin may attach it, since an asset id is not a
capability; the course is recorded on the asset, and playback is signed only for the
courses recorded there."""

from __future__ import annotations

import contextlib

from cmh.content.application.common import load_visible_asset
from cmh.content.application.ports import AssetRepository, ContentUnitOfWork
from cmh.content.application.views import asset_view
from cmh.content.domain.asset import Asset
from cmh.content.domain.errors import StaleAsset
from cmh.contracts.http.content import AssetResponse
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock

# The transcoder may save the same asset meanwhile: reload and try again, a few times.
ATTEMPTS = 3


class AttachAsset:
    def __init__(self, assets: AssetRepository, uow: ContentUnitOfWork, clock: Clock) -> None:
        self._assets = assets
        self._uow = uow
        self._clock = clock

    async def execute(self, caller: Principal, asset_id: str, course_id: str) -> AssetResponse:
        """The asset; ``AssetNotFound`` when it is missing or not the caller's (someone
        else's asset answers exactly like a missing one). Attaching twice is harmless."""
        for _ in range(ATTEMPTS - 1):
            with contextlib.suppress(StaleAsset):
                return asset_view(await self._attach(caller, asset_id, course_id))
        return asset_view(await self._attach(caller, asset_id, course_id))

    async def _attach(self, caller: Principal, asset_id: str, course_id: str) -> Asset:
        async with self._uow:
            asset = await load_visible_asset(self._assets, asset_id, caller)
            if asset.attach_to(course_id, self._clock.now()):
                await self._assets.save(asset)
                await self._uow.commit()
            return asset
