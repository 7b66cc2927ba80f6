"""Event handlers: decode the envelope, call one use case (which owns the inbox claim)."""

from __future__ import annotations

from cmh.content.application.anonymise_owner import AnonymiseOwner
from cmh.content.application.process_asset import ProcessAsset
from cmh.contracts.events.base import Envelope
from cmh.contracts.events.content import AssetUploadedV1
from cmh.contracts.events.users import UserErasureRequestedV1


class AssetUploadedHandler:
    def __init__(self, process_asset: ProcessAsset) -> None:
        self._process_asset = process_asset

    async def __call__(self, envelope: Envelope) -> None:
        event: AssetUploadedV1 = envelope.decode(AssetUploadedV1)
        await self._process_asset.execute(event.asset_id, event_id=envelope.id)


class UserErasureHandler:
    def __init__(self, anonymise_owner: AnonymiseOwner) -> None:
        self._anonymise_owner = anonymise_owner

    async def __call__(self, envelope: Envelope) -> None:
        event: UserErasureRequestedV1 = envelope.decode(UserErasureRequestedV1)
        await self._anonymise_owner.execute(event.user_id, event_id=envelope.id)
