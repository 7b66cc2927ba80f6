"""Running a process's outbox relays: the SQL outbox's and any store-specific one (the
content context's MongoDB outbox) are started and stopped the same way, here only."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Protocol


class Relay(Protocol):
    async def drain(self) -> int:
        """Publish everything pending now; the number of events published."""

    async def run(self, stop: asyncio.Event) -> None:
        """Publish as events arrive until ``stop`` is set."""


class RelayRunner:
    """Each relay as a background task from ``start`` until ``stop``."""

    def __init__(self, relays: Sequence[Relay]) -> None:
        self._relays = relays
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def drain(self) -> int:
        return sum([await relay.drain() for relay in self._relays])

    def start(self) -> None:
        self._stop.clear()
        self._tasks = [
            asyncio.create_task(relay.run(self._stop), name=f"outbox-relay-{type(relay).__name__}")
            for relay in self._relays
        ]

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
