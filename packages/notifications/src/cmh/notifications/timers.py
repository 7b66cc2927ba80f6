"""The mail timer: every ``interval`` seconds, a ``ReleaseMail`` pass (held mail whose
time came, queued mail whose job was lost) and a ``RemindInactiveLearners`` pass (course
reminders), each in a request scope of its own. The worker runs
it in the distributed profile, the platform in the embedded one. A failing pass is logged
and tried at the next interval; it never stops the process."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from dishka import AsyncContainer

from cmh.kernel.timers import Pass, every
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
    """Both passes on the same interval, each failing on its own."""

    def logged(name: str, run: Callable[[AsyncContainer], Awaitable[int]]) -> Pass:
        async def one_pass() -> None:
            if done := await run(container):
                log.info(f"notifications.{name}", count=done)

        return one_pass

    await asyncio.gather(
        every(interval, "notifications_mail_released", logged("mail_released", release_once), stop),
        every(interval, "notifications_reminders", logged("learners_reminded", remind_once), stop),
    )
