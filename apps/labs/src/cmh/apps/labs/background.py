"""What the labs worker runs besides its Kafka consumers and outbox relay: the SQS job
loop (provisioning and teardown) and the periodic passes over the sessions (the reaper:
cost, budget cap, expiry; the reconciler: orphaned resources, quarantined sessions).

Each job and each pass runs in its own dishka request scope, so it has its own unit of
work. A failing pass is logged and tried again at its next interval; it never stops the
worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from dishka import AsyncContainer

from cmh.apps.labs.settings import TimerSettings
from cmh.labs.adapters.aws.cloud_lab import AwsCloudLab
from cmh.labs.adapters.sqs.queues import ensure_job_queues
from cmh.labs.adapters.sqs.worker import SqsJobWorker
from cmh.labs.application.ports import LabJob
from cmh.labs.application.reap_sessions import LabSessionReaper
from cmh.labs.application.reconcile_orphans import Reconciler
from cmh.labs.application.run_lab_job import RunLabJob
from cmh.labs.settings import LabsSettings

log = logging.getLogger(__name__)


def job_runner(container: AsyncContainer) -> Callable[[LabJob], Awaitable[None]]:
    async def run(job: LabJob) -> None:
        async with container() as request:
            await (await request.get(RunLabJob)).execute(job)

    return run


async def reap(container: AsyncContainer) -> None:
    async with container() as request:
        report = await (await request.get(LabSessionReaper)).execute()
    if report.warned or report.expired or report.capped:
        log.info(
            "reaper: warned %s, expired %s, capped %s", report.warned, report.expired, report.capped
        )


async def reconcile(container: AsyncContainer) -> None:
    async with container() as request:
        report = await (await request.get(Reconciler)).execute()
    if report.torn_down:
        log.warning("reconciler removed the resources of ended sessions: %s", report.torn_down)


async def every(seconds: float, stop: asyncio.Event, work: Callable[[], Awaitable[None]]) -> None:
    """``work`` now, then every ``seconds`` until ``stop`` is set."""
    while not stop.is_set():
        try:
            await work()
        except Exception:
            log.exception("%s failed; trying again in %.0f s", work, seconds)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)


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
        container = self._container
        self._tasks = [
            asyncio.create_task(jobs.run(self._stop), name="lab-jobs"),
            asyncio.create_task(
                every(self._timers.reaper_seconds, self._stop, lambda: reap(container)),
                name="lab-reaper",
            ),
            asyncio.create_task(
                every(self._timers.reconciler_seconds, self._stop, lambda: reconcile(container)),
                name="lab-reconciler",
            ),
        ]

    async def stop(self) -> None:
        await wind_down(self._stop, self._tasks, self._timers.shutdown_grace_seconds)
