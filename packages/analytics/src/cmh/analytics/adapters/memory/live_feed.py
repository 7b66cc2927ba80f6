"""Live counters fanned out in process (the embedded platform, tests): each listener has
its own queue; a slow listener loses the oldest counts, never blocks the announcer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from cmh.analytics.application.ports import LiveCounts

BACKLOG = 16


class InProcessLiveFeed:
    def __init__(self) -> None:
        self._listeners: set[asyncio.Queue[LiveCounts]] = set()

    async def announce(self, counts: LiveCounts) -> None:
        for queue in list(self._listeners):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(counts)

    async def updates(self) -> AsyncIterator[LiveCounts]:
        queue: asyncio.Queue[LiveCounts] = asyncio.Queue(BACKLOG)
        self._listeners.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._listeners.discard(queue)
