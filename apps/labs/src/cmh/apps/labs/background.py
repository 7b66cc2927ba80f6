"""What the labs worker runs besides its Kafka consumers and outbox relay: the SQS job
loop (provisioning and teardown) and the periodic passes over the sessions (the reaper:
cost, budget cap, expiry; the reconciler: orphaned resources, quarantined sessions).

Each job and each pass runs in its own dishka request scope, so it has its own unit of
work. A failing pass is logged and tried again at its next interval; it never stops the
worker."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from dishka import AsyncContainer

from cmh.apps.labs.settings import TimerSettings
from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from cmh.labs.adapters.sqs.queues import ensure_job_queues
from cmh.labs.adapters.sqs.worker import SqsJobWorker
from cmh.labs.application.ports import LabJob
from cmh.labs.application.run_lab_job import RunLabJob
from cmh.labs.settings import LabsSettings
from cmh.labs.timers import LabTimers
from cmh.labs.timers import TimerSettings as LabTimerSettings


def job_runner(container: AsyncContainer) -> Callable[[LabJob], Awaitable[None]]:
    async def run(job: LabJob) -> None:
        async with container() as request:
            await (await request.get(RunLabJob)).execute(job)

    return run


async def wind_down(
    stop: asyncio.Event, tasks: Sequence[asyncio.Task[None]], grace_seconds: float
) -> None:
    """Sets ``stop``, lets the tasks finish what they are doing within the grace period,
    then cuts short those still running."""
    stop.set()
    if not tasks:
        return
    _, running = await asyncio.wait(tasks, timeout=grace_seconds)
    for task in running:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class LabWorkerLoops:
    """Started after the worker's startup, stopped on its shutdown (before the container
    closes)."""

    def __init__(self, container: AsyncContainer, timers: TimerSettings) -> None:
        self._container = container
        self._timers = timers
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        settings = await self._container.get(LabsSettings)
        aws = await self._container.get(AwsCloudLab)
        queues = await asyncio.to_thread(ensure_job_queues, aws.operator, settings.jobs)
        jobs = SqsJobWorker(aws.operator, queues, job_runner(self._container), settings.jobs)
        timers = LabTimers(
            self._container,
            LabTimerSettings(
                reaper_seconds=self._timers.reaper_seconds,
                reconciler_seconds=self._timers.reconciler_seconds,
                warm_pool_seconds=self._timers.warm_pool_seconds,
            ),
        )
        self._tasks = [
            asyncio.create_task(jobs.run(self._stop), name="lab-jobs"),
            # The same reaper and reconciler passes the embedded platform runs.
            asyncio.create_task(timers.run(self._stop), name="lab-timers"),
        ]

    async def stop(self) -> None:
        await wind_down(self._stop, self._tasks, self._timers.shutdown_grace_seconds)
