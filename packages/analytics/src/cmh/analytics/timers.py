"""The Analytics pass that runs on a timer, whatever process hosts it (the distributed
worker, the embedded platform): the recommendation model trained again when
``RetrainRecommendations`` decides it is due. A failed pass is logged and the next one
runs on time."""

from __future__ import annotations

import asyncio
import logging

from dishka import AsyncContainer

from cmh.analytics.application.retrain_recommendations import RetrainRecommendations

log = logging.getLogger(__name__)


class RetrainTimer:
    def __init__(self, container: AsyncContainer, seconds: float) -> None:
        self._container = container
        self._seconds = seconds
        self.passes = 0

    async def retrain(self) -> None:
        async with self._container() as request:
            await (await request.get(RetrainRecommendations)).execute()

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: a pass at once, then every ``seconds``."""
        while not stop.is_set():
            try:
                await self.retrain()
                self.passes += 1
            except Exception:
                log.exception("analytics retraining pass failed")
            try:
                await asyncio.wait_for(stop.wait(), timeout=self._seconds)
            except TimeoutError:
                continue
