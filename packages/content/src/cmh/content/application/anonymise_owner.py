"""GDPR erasure of a user: their assets stay (courses use them) but forget the owner."""

from __future__ import annotations

from cmh.content.application.ports import AssetRepository, ContentUnitOfWork
from cmh.kernel.clock import Clock

USER_ERASURE_CONSUMER = "content.user-erasure"


class AnonymiseOwner:
    def __init__(self, assets: AssetRepository, uow: ContentUnitOfWork, clock: Clock) -> None:
        self._assets = assets
        self._uow = uow
        self._clock = clock

    async def execute(self, user_id: str) -> int:
        """Returns how many assets were anonymised (0 once done)."""
        async with self._uow:
            owned = await self._assets.list_by_owner(user_id)
            now = self._clock.now()
            for asset in owned:
                asset.anonymise_owner(now)
                await self._assets.save(asset)
            await self._uow.commit()
        return len(owned)
