"""Content worker (distributed profile): the content consumers (asset processing, user
erasure) on Kafka and the Mongo outbox relay. Content keeps its outbox inside each asset
document (see ``cmh.content.adapters.mongo.unit_of_work``), so the kernel's SQL relay is
off and ``MongoOutboxRelay.run(stop)`` runs instead.

    python -m cmh.apps.content.worker
"""

from __future__ import annotations

import asyncio
import contextlib

from faststream.asgi import AsgiFastStream

from cmh.apps.content.container import build_container
from cmh.apps.content.settings import ContentServiceSettings, load_content_settings
from cmh.content.adapters.mongo.outbox import MongoOutboxRelay
from cmh.content.consumers import subscriptions as content_subscriptions
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: ContentServiceSettings) -> AsgiFastStream:
    container = build_container(settings)
    app = await create_worker_app(
        container=container,
        subscriptions=content_subscriptions(),
        title="CloudMastersHub Content worker",
        description="Content consumers (asset processing, user erasure) and the Mongo outbox "
        "relay that publishes content.asset.* events.",
        run_relay=False,
    )
    relay = await container.get(MongoOutboxRelay)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def start_relay() -> None:
        tasks.append(asyncio.create_task(relay.run(stop), name="content-mongo-outbox-relay"))

    async def stop_relay() -> None:
        stop.set()
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app.after_startup(start_relay)
    # Before the broker and the container close (kernel hooks run after this one).
    app.on_shutdown(stop_relay)
    return app


def main() -> None:
    run_worker(load=load_content_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
