"""Courses worker (distributed profile): the courses consumers (user erasure, search index)
on Kafka and the SQL outbox relay that publishes course.*, enrollment.*, lesson.* events.

    python -m cmh.apps.courses.worker
"""

from __future__ import annotations

import asyncio

import uvicorn
from faststream.asgi import AsgiFastStream

from cmh.apps.courses.container import build_container
from cmh.apps.courses.settings import CoursesServiceSettings, load_courses_settings
from cmh.courses.consumers import subscriptions as courses_subscriptions
from cmh.kernel.logging import configure_logging
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: CoursesServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        subscriptions=courses_subscriptions(),
        title="CloudMastersHub Courses worker",
        description="Courses consumers (user erasure, search index) and the outbox relay.",
    )


async def serve(settings: CoursesServiceSettings) -> None:
    # Build and serve in one event loop: the container's clients belong to it.
    app = await create_worker(settings)
    port = settings.http.port + 1000  # health and AsyncAPI of the worker
    await uvicorn.Server(
        uvicorn.Config(app, host=settings.http.host, port=port, log_level="warning")
    ).serve()


def main() -> None:
    settings = load_courses_settings()
    configure_logging(settings.log_level)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
