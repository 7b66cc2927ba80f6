"""Courses API (distributed profile).

python -m cmh.apps.courses.main            serve the API
python -m cmh.apps.courses.main migrate    run the database migrations, then exit
"""

from __future__ import annotations

import asyncio
import sys

import uvicorn
from dishka import Provider
from faststream.kafka import KafkaBroker
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.apps.courses.container import build_container
from cmh.apps.courses.settings import CoursesServiceSettings, load_courses_settings
from cmh.courses.adapters.sql.migrations import COURSES_MIGRATIONS
from cmh.courses.api import COURSES_ROUTES
from cmh.kernel.logging import configure_logging
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app


def create_app(settings: CoursesServiceSettings, *overrides: Provider) -> Litestar:
    container = build_container(settings, *overrides)

    async def connect_broker() -> None:
        # The API only needs the broker for its readiness check; events leave via the
        # outbox relay in the worker.
        await (await container.get(KafkaBroker)).connect()

    return create_http_app(
        container=container,
        route_handlers=COURSES_ROUTES,
        title="CloudMastersHub Courses",
        http=settings.http,
        on_startup=[connect_broker],
    )


async def migrate(settings: CoursesServiceSettings) -> None:
    container = build_container(settings)
    try:
        engine = await container.get(AsyncEngine)
        await upgrade(
            engine,
            [KERNEL_MIGRATIONS, COURSES_MIGRATIONS],
            lambda line: print(f"==> {line}", flush=True),
        )
    finally:
        await container.close()


def main() -> None:
    settings = load_courses_settings()
    configure_logging(settings.log_level)
    if sys.argv[1:] == ["migrate"]:
        asyncio.run(migrate(settings))
        return
    uvicorn.run(
        create_app(settings),
        host=settings.http.host,
        port=settings.http.port,
        log_level="warning",
        server_header=False,
    )


if __name__ == "__main__":
    main()
