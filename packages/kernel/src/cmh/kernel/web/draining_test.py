"""A graceful shutdown behind a balancer: on SIGTERM the server says "not ready" and goes on
serving for its drain, then stops by itself."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from dishka import Provider, Scope, make_async_container, provide
from litestar import get

from cmh.kernel.health import HealthChecks
from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.serving import DRAINING, DrainingServer, uvicorn_config
from cmh_testing.kernel.serving import free_port

DRAIN_SECONDS = 1.5


@get("/api/v1/ping")
async def ping() -> dict[str, str]:
    return {"status": "pong"}


class NoChecks(Provider):
    scope = Scope.APP

    @provide
    def checks(self) -> HealthChecks:
        return HealthChecks([], [])


@pytest.fixture
def server() -> Iterator[tuple[DrainingServer, threading.Thread, str]]:
    http = HttpSettings(port=free_port())
    app = create_http_app(
        container=make_async_container(NoChecks()), route_handlers=[ping], title="t", http=http
    )
    server = DrainingServer(uvicorn_config(app, http, lifespan="on"), DRAIN_SECONDS)
    # Off the main thread, uvicorn installs no signal handlers (and re-raises nothing).
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started
    try:
        yield server, thread, f"http://127.0.0.1:{http.port}"
    finally:
        server.should_exit = True
        thread.join(10)
        DRAINING.clear()


def test_sigterm_first_turns_readiness_away_while_still_serving_then_stops(
    server: tuple[DrainingServer, threading.Thread, str],
) -> None:
    running, thread, base = server
    with httpx.Client(base_url=base, timeout=5) as client:
        assert client.get("/health/ready").status_code == 200

        running.handle_exit(signal.SIGTERM, None)  # what the signal handler calls

        ready = client.get("/health/ready")
        assert (ready.status_code, ready.json()["status"]) == (503, "draining")
        assert client.get("/api/v1/ping").json() == {"status": "pong"}
        assert thread.is_alive()
    thread.join(DRAIN_SECONDS + 10)
    assert not thread.is_alive(), "the server stops by itself once the drain is over"


def test_sigint_stops_at_once(server: tuple[DrainingServer, threading.Thread, str]) -> None:
    running, thread, _ = server
    running.handle_exit(signal.SIGINT, None)
    thread.join(5)
    assert not thread.is_alive()
    assert not DRAINING.is_set()
