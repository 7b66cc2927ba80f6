"""Users worker (distributed profile): publishes the outbox to Kafka. Users consumes no
events yet; its subscriptions list is where they would go.

    python -m cmh.apps.users.worker
"""

from __future__ import annotations

import asyncio

import uvicorn
from faststream.asgi import AsgiFastStream

from cmh.apps.users.container import build_container
from cmh.apps.users.settings import UsersServiceSettings, load_users_settings
from cmh.kernel.logging import configure_logging
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: UsersServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        subscriptions=[],
        title="CloudMastersHub Users worker",
        description="Publishes user.* events from the users outbox to Kafka.",
    )


async def serve(settings: UsersServiceSettings) -> None:
    # Build and serve in one event loop: the container's clients belong to it.
    app = await create_worker(settings)
    port = settings.http.port + 1000  # health and AsyncAPI of the worker
    await uvicorn.Server(
        uvicorn.Config(app, host=settings.http.host, port=port, log_level="warning")
    ).serve()


def main() -> None:
    settings = load_users_settings()
    configure_logging(settings.log_level)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
