"""Mail jobs within one process: ``drain()``ed by a test (recorded), or run as soon as
they are queued (background, the embedded profile), each in a request scope of its own.
A job the provider could not take is run again after a backoff (doubling, capped), so an
outage delays mail and never loses it while the process lives (the mail timer requeues
what a restart dropped)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from dishka import AsyncContainer

from cmh.notifications.application.ports import MailJob
from cmh.notifications.application.send_mail import DeliveriesNotYetStored, SendMail

log = structlog.get_logger("cmh.notifications.jobs")

JobRunner = Callable[[MailJob], Awaitable[None]]
NOT_YET_STORED_WAIT = 0.05


def container_runner(container: AsyncContainer) -> JobRunner:
    async def run(job: MailJob) -> None:
        async with container() as request:
            await (await request.get(SendMail)).execute(job)

    return run


class MemoryMailJobs:
    def __init__(
        self,
        run: JobRunner,
        *,
        background: bool = False,
        first_backoff: float = 0.5,
        max_backoff: float = 60.0,
    ) -> None:
        self._run = run
        self._background = background
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self.queued: list[MailJob] = []
        self.failures: list[tuple[MailJob, str]] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def enqueue(self, job: MailJob) -> None:
        if not self._background:
            self.queued.append(job)
            return
        task = asyncio.create_task(self._until_done(job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> int:
        """Runs the recorded jobs (and those they queue) once each; a failing one is kept
        in ``failures`` and queued again. How many ran."""
        ran = 0
        while self.queued:
            job = self.queued.pop(0)
            ran += 1
            try:
                await self._run(job)
            except Exception as exc:  # the queue's retry: the job stays
                self.failures.append((job, repr(exc)))
                self.queued.append(job)
                return ran
        return ran

    async def idle(self) -> None:
        """Waits until the background jobs finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _until_done(self, job: MailJob) -> None:
        wait = self._first_backoff
        while True:
            try:
                await self._run(job)
                return
            except DeliveriesNotYetStored:
                # Queued by a consumer whose transaction commits right after: a moment.
                await asyncio.sleep(NOT_YET_STORED_WAIT)
            except Exception as exc:
                self.failures.append((job, repr(exc)))
                log.warning("notifications.mail_job_retry", error=repr(exc), wait=wait)
                await asyncio.sleep(wait)
                wait = min(wait * 2, self._max_backoff)
