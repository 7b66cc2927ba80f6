"""How every app is served, and who its caller is.

Forwarded headers (``X-Forwarded-For``, ``X-Forwarded-Proto``) are believed only from the
proxies in ``HttpSettings.forwarded_allow_ips`` (``CMH_HTTP__FORWARDED_ALLOW_IPS``): nobody
by default (the embedded platform and the gateway are the edge), the gateway's address
for the services behind it. uvicorn's own default, trusting whatever connects from
127.0.0.1, would let anyone on the machine choose the address rate limits count against.
From a trusted proxy the client is the rightmost address that proxy did not add itself
(uvicorn's ``ProxyHeadersMiddleware``), so values a client sends ahead of it are ignored.
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
import time
from collections.abc import Mapping
from types import FrameType
from typing import Any
from urllib.parse import quote

import uvicorn

from cmh.kernel.long_lived import set_aside_startup_objects
from cmh.kernel.settings import HttpSettings

STARTUP_FAILURE = 3  # uvicorn.run's exit status when the server cannot start


def uvicorn_config(
    app: Any, http: HttpSettings, *, port: int | None = None, **options: Any
) -> uvicorn.Config:
    """The server every deployable runs (``port`` defaults to ``http.port``)."""
    if {"proxy_headers", "forwarded_allow_ips"} & options.keys():
        raise TypeError("proxy trust comes from HttpSettings.forwarded_allow_ips alone")
    trusted = http.trusted_proxies
    settings: dict[str, Any] = {
        "host": http.host,
        "port": http.port if port is None else port,
        "log_level": "warning",
        # No handlers of uvicorn's own: its warnings and errors reach the root logger, which
        # cmh.kernel.logging renders like every other line (ECS JSON in a deployable).
        "log_config": None,
        # By name, not uvicorn's "auto" (which falls back to asyncio and h11 without a
        # word): the C loop and parser roughly double what one process serves.
        "loop": "uvloop",
        "http": "httptools",
        # WebSockets (notifications' live stream) through the websockets package's
        # sans-I/O protocol, by name too.
        "ws": "websockets-sansio",
        "server_header": False,
        "proxy_headers": bool(trusted),
        # Never None: uvicorn would fall back to $FORWARDED_ALLOW_IPS or 127.0.0.1.
        "forwarded_allow_ips": trusted or [],
    }
    if http.tls_cert_file:
        # HTTPS only: a plain HTTP request on this port fails its TLS handshake.
        settings |= {"ssl_certfile": http.tls_cert_file, "ssl_keyfile": http.tls_key_file}
    return uvicorn.Config(app, **settings, **options)


# Set once a SIGTERM began the drain: readiness answers 503 while the server still serves.
DRAINING = threading.Event()


class DrainingServer(uvicorn.Server):
    """uvicorn with a drain before its graceful shutdown. On SIGTERM the process first
    answers readiness 503 for ``drain_seconds`` while it goes on serving, so the balancer
    in front takes it out of rotation; then uvicorn stops listening, lets in-flight
    requests finish and exits as it does. SIGINT, or a second SIGTERM, stops at once."""

    def __init__(self, config: uvicorn.Config, drain_seconds: float = 0.0) -> None:
        super().__init__(config)
        self._drain_seconds = drain_seconds
        self._drain_until: float | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig == signal.SIGTERM and self._drain_seconds > 0 and self._drain_until is None:
            # Kept, as uvicorn keeps it, to exit with the signal's status in the end.
            self._captured_signals.append(sig)
            self._drain_until = time.monotonic() + self._drain_seconds
            DRAINING.set()
            return
        super().handle_exit(sig, frame)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            set_aside_startup_objects()  # the app's start is over: what it built stays

    async def on_tick(self, counter: int) -> bool:
        if self._drain_until is not None and time.monotonic() >= self._drain_until:
            self.should_exit = True
        return await super().on_tick(counter)


def serve(config: uvicorn.Config, drain_seconds: float = 0.0) -> None:
    """Serve until interrupted (blocks); exits 3 when the server cannot start, as uvicorn.run.
    ``drain_seconds``: see ``DrainingServer`` (``HttpSettings.drain_seconds``)."""
    server = DrainingServer(config, drain_seconds)
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def raw_path(scope: Mapping[str, Any]) -> str:
    """The path as the client sent it, percent-escapes kept, never its query (the path's
    own ``?`` is escaped, though some test transports append the query); servers without
    ``raw_path`` (optional in ASGI): the decoded path escaped again."""
    raw: bytes | None = scope.get("raw_path")
    if raw:
        return raw.partition(b"?")[0].decode("latin-1")
    return quote(scope["path"], safe="/:@!$&'()*+,;=~")


def client_address(scope: Mapping[str, Any]) -> str:
    """The caller's IP address as the server resolved it under ``uvicorn_config``."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
