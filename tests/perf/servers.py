"""Start an ASGI app under uvicorn in its own process on a free loopback port, pinned to
the servers' core (``pinning``), and read its memory."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import httpx

from tests.perf.pinning import pinned


@dataclass(frozen=True)
class Server:
    url: str
    pid: int

    def rss_mb(self, field: str = "VmRSS") -> float:
        """Resident memory of the server process now (``VmRSS``) or at its peak so far
        (``VmHWM``), in MiB."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            kib = next(int(line.split()[1]) for line in status if line.startswith(field + ":"))
        return kib / 1024

    def settled_rss_mb(self, seconds: float = 3.0) -> float:
        """Resident memory once the requests still in flight after a run are answered
        (four logins hashing with argon2id hold 64 MiB each)."""
        time.sleep(seconds)
        httpx.get(self.url + "/health/live", timeout=30.0)
        return self.rss_mb()


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
    timeout: float = 90.0,
    extra_args: Sequence[str] = (),
) -> Iterator[Server]:
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
        # As the deployables run (cmh.kernel.web.serving): nobody's X-Forwarded-For is
        # believed; uvloop and httptools.
        "--no-proxy-headers",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
    ]
    if factory:
        args.append("--factory")
    args += list(extra_args)  # e.g. "--ws websockets-sansio" for a WebSocket app
    # e.g. "--loop asyncio --http h11" to compare server stacks (the last flag wins).
    args += os.environ.get("CMH_BENCH_UVICORN_ARGS", "").split()
    process = subprocess.Popen(pinned(args), env={**os.environ, **(env or {})})
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
        yield Server(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
