"""An app served by a real uvicorn server, configured as a deployable configures it, on
a free loopback port inside the running event loop: for tests of what only the server
decides (which X-Forwarded-For to believe)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def running(config: uvicorn.Config) -> AsyncIterator[str]:
    """Serve ``config`` until the block ends; yields the base URL."""
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        yield f"http://{config.host}:{config.port}"
    finally:
        server.should_exit = True
        await task
