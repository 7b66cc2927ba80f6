"""A moto server of a test's own (the labs' AWS: Organizations, IAM enforced, SQS, EC2, S3),
started from the venv and killed with the test."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.chaos.process import START_TIMEOUT, die_with_parent


def _moto_server() -> str:
    candidate = Path(sys.executable).with_name("moto_server")
    return str(candidate) if candidate.exists() else "moto_server"


def start_moto(port: int, log: Path) -> subprocess.Popen[bytes]:
    """The server on 127.0.0.1:``port``; IAM checks from the first request."""
    return subprocess.Popen(  # noqa: S603 - the venv's moto server
        [_moto_server(), "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "0"},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )


async def moto_ready(url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    async with httpx.AsyncClient(timeout=2.0) as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url + "/moto-api/config")).is_success:
                    return
            await asyncio.sleep(0.1)
    raise TimeoutError(f"the private moto server at {url} did not answer")
