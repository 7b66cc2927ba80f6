"""Lab jobs in the process: each is recorded, then run by ``run_job`` (in its own dishka
request scope, as a queue's worker would) either right away in the background
(``background=True``, the embedded profile) or when a test calls ``drain()``."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from dishka import AsyncContainer

from cmh.labs.application.ports import LabJob
from cmh.labs.application.run_lab_job import RunLabJob

log = logging.getLogger(__name__)

JobRunner = Callable[[LabJob], Awaitable[None]]


def container_runner(container: AsyncContainer) -> JobRunner:
    async def run(job: LabJob) -> None:
        async with container() as request:
            await (await request.get(RunLabJob)).execute(job)

    return run


class MemoryLabJobs:
    def __init__(self, run_job: JobRunner, *, background: bool = False) -> None:
        self._run_job = run_job
        self._background = background
        self.enqueued: list[LabJob] = []
        self.pending: deque[LabJob] = deque()
        self._running: set[asyncio.Task[None]] = set()

    async def enqueue(self, job: LabJob) -> None:
        self.enqueued.append(job)
        if not self._background:
            self.pending.append(job)
            return
        task = asyncio.create_task(self._run_logged(job))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _run_logged(self, job: LabJob) -> None:
        try:
            await self._run_job(job)
        except Exception:
            log.exception("lab job %s of session %s failed", job.kind, job.session_id)

    async def drain(self) -> int:
        """Run the pending jobs, and the jobs they queue, until none is left."""
        ran = 0
        while self.pending:
            await self._run_job(self.pending.popleft())
            ran += 1
        return ran

    async def idle(self) -> None:
        """Wait for the background jobs (and those they started) to finish, also from
        another event loop than the one running them (a test client runs the app in its
        own)."""
        while self._running:
            task = next(iter(set(self._running)))
            loop = task.get_loop()
            if loop is asyncio.get_running_loop():
                await _settled(task)
            else:
                await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(_settled(task), loop))
            self._running.discard(task)


async def _settled(task: asyncio.Task[None]) -> None:
    await asyncio.gather(task, return_exceptions=True)
