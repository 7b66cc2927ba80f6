"""Analytics worker (distributed profile): the consumers keeping every learning event as
a fact (courses, labs, assessments, payments topics; in batches, one transaction each),
forwarding to Mixpanel, user erasure; the SQL outbox relay that publishes
recommendations.updated; the timer retraining the recommendation model.

    python -m cmh.apps.analytics.worker
"""

from __future__ import annotations

import asyncio

from dishka import AsyncContainer
from faststream.asgi import AsgiFastStream

from cmh.analytics.timers import RetrainTimer
from cmh.apps.analytics.container import MODULES, build_container
from cmh.apps.analytics.settings import AnalyticsServiceSettings, load_analytics_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


class RetrainLoop:
    """The recommendation model's retraining timer: started after the worker's startup,
    stopped on its shutdown (before the container closes)."""

    def __init__(self, container: AsyncContainer, seconds: float) -> None:
        self._timer = RetrainTimer(container, seconds)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._timer.run(self._stop), name="analytics-retrain")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task


async def create_worker(settings: AnalyticsServiceSettings) -> AsgiFastStream:
    container = build_container(settings)
    app = await create_worker_app(
        container=container,
        modules=MODULES,
        title="CloudMastersHub Analytics worker",
        description=(
            "Learning events kept once as facts, recommendations refreshed, selected events "
            "forwarded to Mixpanel, user erasure; the outbox relay of recommendations.updated; "
            "the recommendation model retrained in the background."
        ),
    )
    loop = RetrainLoop(container, settings.analytics.retrain_check_seconds)
    app.after_startup(loop.start)
    app.on_shutdown(loop.stop)
    return app


def main() -> None:
    run_worker(load=load_analytics_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
