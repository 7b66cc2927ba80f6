"""Thin event handlers: the kernel's consumer runner hands each its event (inside the
unit of work that claims it); they call one use case."""

from __future__ import annotations

from cmh.content.application.anonymise_owner import AnonymiseOwner
from cmh.content.application.process_asset import ProcessAsset
from cmh.contracts.events.content import AssetUploadedV1
from cmh.contracts.events.users import UserErasureRequestedV1


class AssetUploadedHandler:
    def __init__(self, process_asset: ProcessAsset) -> None:
        self._process_asset = process_asset

    async def __call__(self, event: AssetUploadedV1) -> None:
        await self._process_asset.execute(event.asset_id)


class UserErasureHandler:
    def __init__(self, anonymise_owner: AnonymiseOwner) -> None:
        self._anonymise_owner = anonymise_owner

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._anonymise_owner.execute(event.user_id)
