"""A private labs worker for tests that kill it: its own moto server (IAM enforced), its own
Kafka broker, a PostgreSQL database of its own, and the real ``cmh.apps.labs.worker``
process, started and SIGKILLed at will. The test process drives the same database, queue
and cloud through the labs container of the distributed profile.

    async with private_lab_worker(tmp_dir) as labs:
        labs.start_worker(); labs.kill_worker()
        async with labs.container() as request: ...

Leaving the block stops everything it started and drops its database.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from dishka import AsyncContainer

from cmh.apps.labs.container import build_container
from cmh.apps.labs.moto_operator import with_moto_operator
from cmh.apps.labs.settings import load_labs_settings
from cmh_testing.kernel.servers import fresh_postgres_database, postgres_url
from tests.chaos.moto import moto_ready, start_moto
from tests.chaos.process import START_TIMEOUT, die_with_parent, kill_group
from tests.chaos.stack import ROOT, Broker, _tail, free_port

WORKER = "cmh.apps.labs.worker"


@dataclass
class PrivateLabs:
    home: Path
    env: dict[str, str]
    moto: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes] | None = None
    starts: int = 0
    kills: int = 0
    _containers: list[AsyncContainer] = field(default_factory=list)

    @property
    def log(self) -> Path:
        return self.home / "labs-worker.log"

    def start_worker(self) -> None:
        handle = self.log.open("ab")
        self.worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", WORKER],
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self.starts += 1

    def kill_worker(self) -> None:
        """SIGKILL, as a crash: no shutdown hook runs, the job's message stays taken until
        its visibility timeout passes."""
        assert self.worker is not None, "no worker running"
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(10)
        self.worker = None
        self.kills += 1

    def pause_worker(self) -> None:
        """SIGSTOP: the worker stands still where it is, so what it has done can be read
        before it is killed (or let go on with ``resume_worker``)."""
        assert self.worker is not None, "no worker running"
        os.killpg(self.worker.pid, signal.SIGSTOP)

    def resume_worker(self) -> None:
        assert self.worker is not None, "no worker running"
        os.killpg(self.worker.pid, signal.SIGCONT)

    def worker_alive(self) -> bool:
        return self.worker is not None and self.worker.poll() is None

    def worker_log(self) -> str:
        return _tail(self.log, 40)

    def container(self) -> AsyncContainer:
        """The labs container on this stack (an operator of its own on the moto server)."""
        container = build_container(with_moto_operator(load_labs_settings(self.env)))
        self._containers.append(container)
        return container

    async def close(self) -> None:
        if self.worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(10)
        for container in self._containers:
            await container.close()


def _migrate(env: dict[str, str], log: Path) -> None:
    with log.open("ab") as handle:
        subprocess.run(
            [sys.executable, "-m", "cmh.apps.labs.main", "migrate"],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            check=True,
            timeout=START_TIMEOUT,
        )


@contextlib.asynccontextmanager
async def private_lab_worker(home: Path) -> AsyncIterator[PrivateLabs]:
    postgres_url()  # skip (laptop) or fail (CI) early when the shared servers are absent
    await asyncio.to_thread(home.mkdir, parents=True, exist_ok=True)
    moto_port = free_port()
    moto_url = f"http://127.0.0.1:{moto_port}"
    moto = start_moto(moto_port, home / "moto.log")
    broker = Broker(free_port(), free_port(), home / "kafka")
    http_port = free_port(with_worker_port=True)
    async with fresh_postgres_database("cmh_chaos_labs") as database:
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(sys.path),
            "CMH_DATABASE__URL": database,
            "CMH_KAFKA__BOOTSTRAP_SERVERS": broker.bootstrap,
            "CMH_KAFKA__CLIENT_ID": "chaos-labs",
            "CMH_HTTP__HOST": "127.0.0.1",
            # The worker serves health and metrics on this port + 1000.
            "CMH_HTTP__PORT": str(http_port),
            "CMH_LABS__AWS__ENDPOINT_URL": moto_url,
            "CMH_MOTO_OPERATOR": "true",
            "CMH_LABS__VAULT__KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            # A killed worker's job comes back after this; the survivor renews it at half.
            "CMH_LABS__JOBS__VISIBILITY_TIMEOUT_SECONDS": "6",
            "CMH_LABS__JOBS__WAIT_SECONDS": "1",
            # The passes stay out of the way: the jobs are what is killed here.
            "CMH_TIMERS__RECONCILER_SECONDS": "3600",
            "CMH_TIMERS__REAPER_SECONDS": "60",
            "CMH_USERS_URL": "http://127.0.0.1:9",
            "CMH_OTEL__ENDPOINT": "",
            "CMH_LOG_LEVEL": "INFO",
        }
        labs = PrivateLabs(home, env, moto)
        try:
            await asyncio.gather(
                broker.start(),
                moto_ready(moto_url),
                asyncio.to_thread(_migrate, env, labs.log),
            )
            yield labs
        finally:
            await labs.close()
            broker.kill()
            kill_group(moto)
