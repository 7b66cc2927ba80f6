"""The mail timer: every ``interval`` seconds, a ``ReleaseMail`` pass (held mail whose
time came, queued mail whose job was lost) and a ``RemindInactiveLearners`` pass (course
reminders), each in a request scope of its own. The worker runs
it in the distributed profile, the platform in the embedded one. A failing pass is logged
and tried at the next interval; it never stops the process."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from dishka import AsyncContainer

from cmh.notifications.application.learning_activity import RemindInactiveLearners
from cmh.notifications.application.release_mail import ReleaseMail

log = structlog.get_logger("cmh.notifications.timers")


async def release_once(container: AsyncContainer) -> int:
    async with container() as request:
        queued: int = await (await request.get(ReleaseMail)).execute()
    return queued


async def remind_once(container: AsyncContainer) -> int:
    async with container() as request:
        reminded: int = await (await request.get(RemindInactiveLearners)).execute()
    return reminded


async def run_mail_timer(container: AsyncContainer, interval: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        for name, run in (("mail_released", release_once), ("learners_reminded", remind_once)):
            try:
                done = await run(container)
                if done:
                    log.info(f"notifications.{name}", count=done)
            except Exception as exc:
                log.error("notifications.timer_failed", run=name, error=repr(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
