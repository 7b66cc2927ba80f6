"""What the journeys share: events reach consumers through the outbox relay and the bus,
so a journey polls for the effect it expects instead of sleeping blindly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not true within {timeout}s")
        await asyncio.sleep(0.1)
