"""Notifications worker (distributed profile): the consumers of every event that becomes a
notification (and user erasure) on Kafka, the SQS mail job loop and the mail timer that
releases held mail (quiet hours, digests) and requeues lost jobs.

    python -m cmh.apps.notifications.worker
"""

from __future__ import annotations

import asyncio

from dishka import AsyncContainer
from faststream.asgi import AsgiFastStream

from cmh.apps.notifications.container import MODULES, build_container
from cmh.apps.notifications.settings import (
    NotificationsServiceSettings,
    load_notifications_settings,
)
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app
from cmh.notifications.adapters.memory.jobs import container_runner
from cmh.notifications.adapters.sqs.queues import MailQueueClient, MailQueues
from cmh.notifications.adapters.sqs.worker import SqsMailWorker
from cmh.notifications.settings import NotificationsSettings
from cmh.notifications.timers import run_mail_timer


class MailLoops:
    """Started after the worker's startup, stopped on its shutdown (before the container
    closes): the SQS job loop and the mail timer."""

    def __init__(self, container: AsyncContainer, grace_seconds: float) -> None:
        self._container = container
        self._grace = grace_seconds
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        settings = await self._container.get(NotificationsSettings)
        sqs = await self._container.get(MailQueueClient)
        queues = await self._container.get(MailQueues)
        jobs = SqsMailWorker(sqs.client, queues, container_runner(self._container), settings.queue)
        self._tasks = [
            asyncio.create_task(jobs.run(self._stop), name="mail-jobs"),
            asyncio.create_task(
                run_mail_timer(self._container, settings.mail_timer_seconds, self._stop),
                name="mail-timer",
            ),
        ]

    async def stop(self) -> None:
        self._stop.set()
        if not self._tasks:
            return
        _, running = await asyncio.wait(self._tasks, timeout=self._grace)
        for task in running:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def create_worker(settings: NotificationsServiceSettings) -> AsgiFastStream:
    container = build_container(settings)
    app = await create_worker_app(
        container=container,
        modules=MODULES,
        title="CloudMastersHub Notifications worker",
        description=(
            "Notifications consumers (welcome, enrollments, labs, grades, certificates, "
            "payments, forum, user erasure), mail jobs from SQS and the mail timer."
        ),
    )
    loops = MailLoops(container, settings.worker.shutdown_grace_seconds)
    app.after_startup(loops.start)
    app.on_shutdown(loops.stop)
    return app


def main() -> None:
    run_worker(load=load_notifications_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
