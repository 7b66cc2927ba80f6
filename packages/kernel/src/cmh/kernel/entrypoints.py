"""The `main()` of every distributed deployable: load settings, configure logs, then serve
the API (or run its one-shot `migrate` command) or serve the worker."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, Protocol, TypeVar

import uvicorn
from dishka import AsyncContainer
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.logging import configure_logging
from cmh.kernel.settings import HttpSettings
from cmh.kernel.sql.migrate import MigrationSet, upgrade
from cmh.kernel.telemetry.setup import configure_tracing, process_name
from cmh.kernel.web.serving import serve, uvicorn_config

WORKER_PORT_OFFSET = 1000  # a worker serves health and AsyncAPI on its API's port + 1000


class ServiceSettings(Protocol):
    @property
    def http(self) -> HttpSettings: ...

    @property
    def log_level(self) -> str: ...


S = TypeVar("S", bound=ServiceSettings)


def progress(line: str) -> None:
    print(f"==> {line}", flush=True)


def run_api(
    *,
    load: Callable[[], S],
    create_app: Callable[[S], Any],
    migrate: Callable[[S], Coroutine[Any, Any, None]],
    argv: Sequence[str] | None = None,
) -> None:
    settings = load()
    service = process_name(create_app.__module__)
    configure_logging(settings.log_level, service=service)
    if list(sys.argv[1:] if argv is None else argv) == ["migrate"]:
        asyncio.run(migrate(settings))
        return
    configure_tracing(service)
    serve(uvicorn_config(create_app(settings), settings.http), settings.http.drain_seconds)


def run_worker(*, load: Callable[[], S], create_worker: Callable[[S], Awaitable[Any]]) -> None:
    settings = load()
    service = process_name(create_worker.__module__)
    configure_logging(settings.log_level, service=service)
    configure_tracing(service)

    async def serve() -> None:
        # Build and serve in one event loop: the container's clients belong to it.
        app = await create_worker(settings)
        config = uvicorn_config(app, settings.http, port=settings.http.port + WORKER_PORT_OFFSET)
        await uvicorn.Server(config).serve()

    asyncio.run(serve())


async def migrate_sql(container: AsyncContainer, migrations: Sequence[MigrationSet]) -> None:
    """Upgrade the container's database; the caller still owns (and closes) the container."""
    await upgrade(await container.get(AsyncEngine), migrations, progress)
