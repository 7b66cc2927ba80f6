"""Start an ASGI app under uvicorn in its own process on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(
    target: str,
    *,
    env: dict[str, str] | None = None,
    factory: bool = False,
    ready_path: str = "/health/live",
    timeout: float = 60.0,
) -> Iterator[str]:
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        # As the deployables run: nobody's X-Forwarded-For is believed.
        "--no-proxy-headers",
    ]
    if factory:
        args.append("--factory")
    process = subprocess.Popen(args, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{target} exited with {process.returncode} before it was ready")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + ready_path, timeout=1.0).status_code < 500:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{target} was not ready on {base}{ready_path} after {timeout}s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
