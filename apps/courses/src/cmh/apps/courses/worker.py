"""Courses worker (distributed profile): the courses consumers (user erasure, search index)
on Kafka and the SQL outbox relay that publishes course.*, enrollment.*, lesson.* events.

    python -m cmh.apps.courses.worker
"""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from cmh.apps.courses.container import build_container, modules_for
from cmh.apps.courses.settings import CoursesServiceSettings, load_courses_settings
from cmh.kernel.entrypoints import run_worker
from cmh.kernel.messaging.worker import create_worker_app


async def create_worker(settings: CoursesServiceSettings) -> AsgiFastStream:
    return await create_worker_app(
        container=build_container(settings),
        modules=modules_for(settings),
        title="CloudMastersHub Courses worker",
        description="Courses consumers (user erasure, search index) and the outbox relay.",
    )


def main() -> None:
    run_worker(load=load_courses_settings, create_worker=create_worker)


if __name__ == "__main__":
    main()
