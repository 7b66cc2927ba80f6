"""The processing job: uploaded -> processing -> (transcoder) -> ready | failed.

One transaction, joined with the consumer runner's inbox claim, which writes nothing until
the outcome is recorded: no lock is held while the transcoder runs. A crash during
transcoding commits nothing, so the redelivered event starts the job again; a duplicate
delivery after the outcome was recorded finds the event claimed (or the asset final) and
changes nothing.
"""

from __future__ import annotations

from cmh.content.application.common import load_asset
from cmh.content.application.ports import (
    AssetRepository,
    ContentUnitOfWork,
    Transcoded,
    Transcoder,
    TranscodingFailed,
)
from cmh.content.application.views import asset_view
from cmh.content.domain.asset import Asset, AssetKind, AssetStatus
from cmh.contracts.http.content import AssetResponse
from cmh.kernel.clock import Clock

PROCESSING_CONSUMER = "content.processing"  # the inbox name of its subscription


class ProcessAsset:
    def __init__(
        self, assets: AssetRepository, transcoder: Transcoder, uow: ContentUnitOfWork, clock: Clock
    ) -> None:
        self._assets = assets
        self._transcoder = transcoder
        self._uow = uow
        self._clock = clock

    async def execute(self, asset_id: str) -> AssetResponse:
        async with self._uow:
            asset = await load_asset(self._assets, asset_id)
            if asset.status is AssetStatus.UPLOADED:
                asset.start_processing(self._clock.now())
            if asset.status is not AssetStatus.PROCESSING:
                return asset_view(asset)  # already final: a late or repeated delivery
            failure, produced = await self._transcode(asset)
            now = self._clock.now()
            if failure is None:
                asset.mark_ready(
                    now, renditions=produced.renditions, thumbnail_key=produced.thumbnail_key
                )
            else:
                asset.fail(failure, now)
            await self._assets.save(asset)
            await self._uow.commit()
        return asset_view(asset)

    async def _transcode(self, asset: Asset) -> tuple[str | None, Transcoded]:
        if asset.kind is not AssetKind.VIDEO:
            return None, Transcoded(renditions=())
        try:
            return None, await self._transcoder.transcode(asset)
        except TranscodingFailed as exc:
            return exc.reason, Transcoded(renditions=())
