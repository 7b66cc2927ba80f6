"""ASGI apps served by uvicorn on a free loopback port inside the running event loop, so a
test can stop one (an upstream dying) and measure the process it runs in."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import uvicorn
from litestar.types import ASGIApp

from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.serving import uvicorn_config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    url: str
    server: uvicorn.Server
    task: asyncio.Task[None]

    async def stop(self) -> None:
        self.server.should_exit = True
        if not self.task.done():
            await self.task


async def start_server(app: ASGIApp, port: int | None = None) -> RunningServer:
    port = port or free_port()
    # Served as the deployables are: at the edge, nobody's X-Forwarded-For is believed.
    config = uvicorn_config(
        app, HttpSettings(port=port), access_log=False, timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped before it started")
        await asyncio.sleep(0.01)
    return RunningServer(f"http://127.0.0.1:{port}", server, task)


@asynccontextmanager
async def serving(app: ASGIApp, port: int | None = None) -> AsyncIterator[RunningServer]:
    running = await start_server(app, port)
    try:
        yield running
    finally:
        await running.stop()
