"""The assessments pass that runs on a timer, whatever process hosts it (the embedded
platform, the distributed worker): the sweeper that closes attempts left open past
their deadline (``CloseAbandonedAttempts``), in a request scope of its own."""

from __future__ import annotations

import asyncio

import structlog
from dishka import AsyncContainer

from cmh.assessments.application.close_abandoned_attempts import CloseAbandonedAttempts
from cmh.kernel.timers import every

log = structlog.get_logger("cmh.assessments.timers")


async def close_abandoned_once(container: AsyncContainer) -> list[str]:
    async with container() as request:
        closed = await (await request.get(CloseAbandonedAttempts)).execute()
    if closed:
        log.info("assessments.abandoned_attempts_closed", count=len(closed))
    return closed


async def run_attempt_sweeper(
    container: AsyncContainer, seconds: float, stop: asyncio.Event
) -> None:
    await every(seconds, "attempt_sweeper", lambda: close_abandoned_once(container), stop)
