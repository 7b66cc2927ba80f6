"""Content worker (distributed profile): the content consumers (asset processing, user
erasure) on Kafka and the Mongo outbox relay. Content keeps its outbox inside each asset
document (see ``cmh.content.adapters.mongo.unit_of_work``), so its module declares the
Mongo relay instead of the kernel's SQL one.

    python -m cmh.apps.content.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.content.container import build_container, modules
from cmh.apps.content.settings import ContentServiceSettings, load_content_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: ContentServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        modules=modules(settings),
        title="CloudMastersHub Content worker",
        description="Content consumers (asset processing, user erasure) and the Mongo outbox "
        "relay that publishes content.asset.* events.",
    )


def main() -> None:
    run_worker(load=load_content_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
