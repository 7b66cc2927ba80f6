"""A PostgreSQL server of a chaos stack's own, so a test can kill it: Debian's server binaries
(installed by ``infra/local/up.sh postgres``), a fresh cluster in a temporary directory, its
own port, run as the ``postgres`` user (the server refuses root).

Killing it is SIGKILL to the whole process group, postmaster and backends alike, as a crashed
container; starting it again runs the server's crash recovery on the same data directory.
Only ``fsync`` is off (a killed process loses nothing the kernel already holds); commits
still wait for their WAL write, so a commit a client saw is never lost by a kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

USER = "cmh"
PASSWORD = "cmh"  # noqa: S105 - a throwaway cluster on loopback
START_TIMEOUT = 60.0


def _bin(name: str) -> str:
    versions = sorted(
        (int(p.parent.parent.name), p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
    )
    if not versions:
        raise RuntimeError(f"no {name} under /usr/lib/postgresql: run infra/local/up.sh postgres")
    return str(versions[-1][1])


def _as_postgres(*argv: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)


@dataclass
class PrivatePostgres:
    port: int
    home: Path  # owned by the postgres user: data/ and the socket
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    @property
    def data(self) -> Path:
        return self.home / "data"

    async def start(self) -> float:
        """Starts the server (crash recovery first, after a kill); returns the seconds it
        took to accept connections."""
        started = time.monotonic()
        self.process = self._spawn()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the private PostgreSQL exited: {self.log.read_text()[-2000:]}")
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                conn = await asyncpg.connect(
                    host="127.0.0.1", port=self.port, user="postgres", database="postgres"
                )
                await conn.close()
                return time.monotonic() - started
            await asyncio.sleep(0.1)
        raise TimeoutError(f"the private PostgreSQL did not start: {self.log.read_text()[-2000:]}")

    def _spawn(self) -> subprocess.Popen[bytes]:
        handle = self.log.open("ab")
        return subprocess.Popen(  # noqa: S603 - Debian's server binary
            _as_postgres(
                _bin("postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.home),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=200",
            ),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL to the server and every backend, as a crash."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        # Every backend is in the group: the next server must not find one still attached
        # to the old shared memory.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self.process = None

    async def create_databases(self, *names: str) -> None:
        conn = await asyncpg.connect(
            host="127.0.0.1", port=self.port, user="postgres", database="postgres"
        )
        try:
            await conn.execute(f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'")
            for name in names:
                await conn.execute(f'CREATE DATABASE "{name}" OWNER {USER}')
        finally:
            await conn.close()


@contextlib.asynccontextmanager
async def private_postgres(port: int, log: Path) -> AsyncIterator[PrivatePostgres]:
    """A fresh cluster on ``port`` (trust auth on loopback only); removed afterwards."""
    home = Path(tempfile.mkdtemp(prefix="cmh-chaos-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    server = PrivatePostgres(port, home, log)
    try:
        await asyncio.to_thread(
            subprocess.run,
            _as_postgres(
                _bin("initdb"),
                "-D",
                str(server.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        await server.start()
        yield server
    finally:
        server.kill()
        shutil.rmtree(home, ignore_errors=True)
