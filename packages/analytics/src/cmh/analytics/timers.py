"""The Analytics pass that runs on a timer, whatever process hosts it (the distributed
worker, the embedded platform): the recommendation model trained again when
``RetrainRecommendations`` decides it is due (the kernel's ``every``: a failed pass is
logged and the next one runs on time)."""

from __future__ import annotations

import asyncio

from dishka import AsyncContainer

from cmh.analytics.application.retrain_recommendations import RetrainRecommendations
from cmh.kernel.timers import every


class RetrainTimer:
    def __init__(self, container: AsyncContainer, seconds: float) -> None:
        self._container = container
        self._seconds = seconds

    async def retrain(self) -> None:
        async with self._container() as request:
            await (await request.get(RetrainRecommendations)).execute()

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: a pass at once, then every ``seconds``."""
        await every(self._seconds, "analytics_retrain", self.retrain, stop)
