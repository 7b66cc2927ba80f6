"""Passes that run on a timer in whichever process hosts them (the embedded platform,
a distributed worker): each pass once at start, then every ``seconds`` until ``stop``
is set. A failing pass is logged and the next one runs on time: a database or a cloud
that is down for a while never stops the loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import structlog

log = structlog.get_logger("cmh.kernel.timers")

Pass = Callable[[], Awaitable[object]]


async def every(seconds: float, name: str, run: Pass, stop: asyncio.Event) -> int:
    """Run ``run`` until ``stop``; the number of passes that succeeded."""
    passes = 0
    while not stop.is_set():
        try:
            await run()
            passes += 1
        except Exception as exc:
            log.error("timer.pass_failed", timer=name, error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)
    return passes


Loop = Callable[[asyncio.Event], Coroutine[Any, Any, object]]


class BackgroundLoops:
    """Loops a worker runs beside its consumers (job queues, timers): started after the
    worker's startup, stopped on its shutdown before the container closes. Stopping sets
    the shared event, lets each loop finish what it is doing within ``grace_seconds``,
    then cuts short those still running."""

    def __init__(self, grace_seconds: float, **loops: Loop) -> None:
        self._grace = grace_seconds
        self._loops = loops
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[object]] = []

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(run(self._stop), name=name) for name, run in self._loops.items()
        ]

    async def stop(self) -> None:
        self._stop.set()
        if not self._tasks:
            return
        _, running = await asyncio.wait(self._tasks, timeout=self._grace)
        for task in running:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
