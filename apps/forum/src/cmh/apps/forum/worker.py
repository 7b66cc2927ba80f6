"""Forum worker (distributed profile): the forum consumers (course boards, user erasure,
the search index) on Kafka and the Mongo outbox relay (the forum keeps its outbox inside
each thread document).

    python -m cmh.apps.forum.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.forum.container import build_container, modules
from cmh.apps.forum.settings import ForumServiceSettings, load_forum_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: ForumServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        modules=modules(settings),
        title="CloudMastersHub Forum worker",
        description="Forum consumers (course boards, user erasure, the search index) and the "
        "Mongo outbox relay that publishes forum.* events.",
    )


def main() -> None:
    run_worker(load=load_forum_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
