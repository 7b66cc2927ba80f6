"""Labs on a real AWS API (a moto server of its own, IAM enforced) and PostgreSQL: the use
cases of the distributed profile, run as a lab worker runs them.

- launch -> ready with a warm pool against the same launch provisioning from nothing;
- a verified teardown, reported against a cold provisioning;
- 10 and 50 sessions provisioned at once by one process against the same sessions one at
  a time (sessions per second).

Each figure is a ratio to a baseline measured in the same run. Run by ``make bench`` or
``python -m tests.perf.labs_bench``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
from dishka import AsyncContainer

from cmh.apps.labs.container import build_container
from cmh.apps.labs.moto_operator import with_moto_operator
from cmh.apps.labs.settings import load_labs_settings
from cmh.kernel.auth.principal import Principal
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.labs.adapters.memory.services import MemoryEntitlements
from cmh.labs.adapters.sql.migrations import LABS_MIGRATIONS
from cmh.labs.application.create_template import CreateTemplate, NewTemplate
from cmh.labs.application.end_session import EndSession
from cmh.labs.application.keep_warm_pools import WarmPoolKeeper
from cmh.labs.application.launch_lab import LaunchLab, LaunchRequest
from cmh.labs.application.ports import Entitlements, LabJob, LabJobs
from cmh.labs.application.provision_session import ProvisionSession
from cmh.labs.application.run_lab_job import RunLabJob
from cmh.labs.application.tear_down_session import TearDownSession
from cmh.labs.application.template_specs import (
    BucketResource,
    BucketTaskCheck,
    NetworkResource,
    Task,
)
from cmh.labs.domain.template import CloudProvider, Level
from cmh_testing.kernel.overrides import replacing
from cmh_testing.kernel.servers import fresh_postgres_database
from tests.perf.results import Row, print_table

AUTHOR = Principal(user_id="bench-instructor", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="bench-admin", roles=frozenset({"admin"}))
ROUNDS = int(os.environ.get("CMH_BENCH_LAB_ROUNDS", "5"))


class QueuedJobs:
    """Jobs kept for the bench to run itself, where it measures them."""

    def __init__(self) -> None:
        self.queued: list[LabJob] = []

    async def enqueue(self, job: LabJob) -> None:
        self.queued.append(job)


@dataclass
class Bench:
    container: AsyncContainer
    jobs: QueuedJobs
    entitlements: MemoryEntitlements

    async def use(self, kind: type) -> object:
        async with self.container() as request:
            return await request.get(kind)

    async def template(self, *, pool: int) -> str:
        create = await self.use(CreateTemplate)
        assert isinstance(create, CreateTemplate)
        view = await create.execute(
            AUTHOR,
            NewTemplate(
                title=f"bench {uuid.uuid4().hex[:6]}",
                provider=CloudProvider.AWS,
                level=Level.BEGINNER,
                allowed_regions=("us-east-1",),
                allowed_services=("s3", "ec2"),
                resources=(NetworkResource(), BucketResource(name_prefix="data-")),
                tasks=(
                    Task(
                        id="logs",
                        title="A logs bucket",
                        hint="Create logs-<anything>.",
                        points=10,
                        check=BucketTaskCheck(name_prefix="logs-"),
                    ),
                ),
                time_limit_minutes=60,
                budget_cap_usd=Decimal("5.00"),
                warm_pool_size=pool,
            ),
        )
        return view.id

    async def run_queued(self) -> None:
        while self.jobs.queued:
            job = self.jobs.queued.pop(0)
            async with self.container() as request:
                await (await request.get(RunLabJob)).execute(job)

    async def launch_ready(self, template_id: str) -> tuple[str, float]:
        """Seconds from the launch to a ready session (its provisioning job run at once,
        as an idle worker would)."""
        learner = Principal(user_id=f"learner-{uuid.uuid4().hex[:8]}", roles=frozenset())
        self.entitlements.grant(learner.user_id)
        started = time.perf_counter()
        launch = await self.use(LaunchLab)
        assert isinstance(launch, LaunchLab)
        session = await launch.execute(learner, LaunchRequest(template_id=template_id))
        self.jobs.queued.clear()
        provision = await self.use(ProvisionSession)
        assert isinstance(provision, ProvisionSession)
        await provision.execute(session.id)
        return session.id, time.perf_counter() - started

    async def tear_down(self, session_id: str) -> float:
        started = time.perf_counter()
        end = await self.use(EndSession)
        assert isinstance(end, EndSession)
        await end.execute(ADMIN, session_id)
        self.jobs.queued.clear()
        tear_down = await self.use(TearDownSession)
        assert isinstance(tear_down, TearDownSession)
        await tear_down.execute(session_id)
        return time.perf_counter() - started

    async def keep_warm(self) -> None:
        keeper = await self.use(WarmPoolKeeper)
        assert isinstance(keeper, WarmPoolKeeper)
        await keeper.execute()
        await self.run_queued()

    async def provision_many(self, template_id: str, count: int, *, at_once: bool) -> float:
        """Sessions per second: ``count`` launches, then their provisioning jobs side by
        side (as the worker runs a batch) or one after the other."""
        sessions = []
        launch = await self.use(LaunchLab)
        assert isinstance(launch, LaunchLab)
        for _ in range(count):
            learner = Principal(user_id=f"learner-{uuid.uuid4().hex[:8]}", roles=frozenset())
            self.entitlements.grant(learner.user_id)
            sessions.append(
                (await launch.execute(learner, LaunchRequest(template_id=template_id))).id
            )
        self.jobs.queued.clear()

        async def provision(session_id: str) -> None:
            async with self.container() as request:
                await (await request.get(ProvisionSession)).execute(session_id)

        started = time.perf_counter()
        if at_once:
            await asyncio.gather(*(provision(s) for s in sessions))
        else:
            for session_id in sessions:
                await provision(session_id)
        return count / (time.perf_counter() - started)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _moto_server(home: Path) -> Iterator[str]:
    port = _free_port()
    binary = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "0"},
        stdout=(home / "moto.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/moto-api/config", timeout=2).is_success:
                    break
            time.sleep(0.1)
        yield url
    finally:
        process.kill()
        process.wait(10)


@contextlib.asynccontextmanager
async def _bench(home: Path) -> AsyncIterator[Bench]:
    with _moto_server(home) as moto:
        async with fresh_postgres_database("cmh_bench_labs") as database:
            engine = make_engine(DatabaseSettings(url=database))
            await upgrade(engine, [KERNEL_MIGRATIONS, LABS_MIGRATIONS])
            await engine.dispose()
            settings = load_labs_settings(
                {
                    "CMH_DATABASE__URL": database,
                    "CMH_LABS__AWS__ENDPOINT_URL": moto,
                    "CMH_MOTO_OPERATOR": "true",
                    "CMH_LABS__VAULT__KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
                }
            )
            jobs, entitlements = QueuedJobs(), MemoryEntitlements()
            container = build_container(
                await asyncio.to_thread(with_moto_operator, settings),
                replacing((Entitlements, entitlements), (LabJobs, jobs)),
            )
            try:
                yield Bench(container, jobs, entitlements)
            finally:
                await container.close()


def _seconds_row(scenario: str, baseline: str, ours: list[float], base: list[float]) -> Row:
    mine, theirs = statistics.median(ours), statistics.median(base)
    ratio = theirs / mine
    # Reported: moto makes an account in milliseconds where AWS takes minutes, so the
    # cold side here is the floor of what a pool saves, not a figure to hold a target to.
    return Row(
        scenario=scenario,
        baseline=baseline,
        target="reported",
        figure=f"{ratio:.2f}x faster ({mine:.2f} s vs {theirs:.2f} s)",
        holds=None,
        ratio=ratio,
    )


async def lab_rows(home: Path) -> list[Row]:
    async with _bench(home) as bench:
        cold_template = await bench.template(pool=0)
        warm_template = await bench.template(pool=1)
        # A first launch pays for the organization and the interpreter's imports.
        first, _ = await bench.launch_ready(cold_template)
        await bench.tear_down(first)
        cold, warm, teardown = [], [], []
        for _ in range(ROUNDS):
            cold_id, cold_seconds = await bench.launch_ready(cold_template)
            cold.append(cold_seconds)
            await bench.keep_warm()  # the pool refilled between learners, off the clock
            warm_id, warm_seconds = await bench.launch_ready(warm_template)
            warm.append(warm_seconds)
            teardown.append(await bench.tear_down(cold_id))
            await bench.tear_down(warm_id)
        print(f"   cold {[round(s, 2) for s in cold]} s, warm {[round(s, 2) for s in warm]} s")
        rows = [
            _seconds_row("labs: launch -> ready, warm pool", "the same launch, cold", warm, cold)
        ]
        ratio = statistics.median(teardown) / statistics.median(cold)
        rows.append(
            Row(
                scenario="labs: verified teardown",
                baseline="a cold provisioning",
                target="reported",
                figure=f"{statistics.median(teardown):.2f} s ({ratio:.2f}x a provisioning)",
                holds=None,
                ratio=ratio,
            )
        )
        for count in (10, 50):
            serial = await bench.provision_many(cold_template, count, at_once=False)
            parallel = await bench.provision_many(cold_template, count, at_once=True)
            ratio = parallel / serial
            print(f"   {count}: {parallel:.2f} sessions/s at once, {serial:.2f} one at a time")
            rows.append(
                Row(
                    scenario=f"labs: {count} sessions provisioned at once",
                    baseline="the same, one at a time",
                    # Bound by the moto server's CPU on these 2 cores, not by the worker.
                    target="reported",
                    figure=f"{ratio:.2f}x ({parallel:.2f} vs {serial:.2f} sessions/s)",
                    holds=None,
                    ratio=ratio,
                )
            )
        return rows


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cmh-labs-bench-") as home:
        rows = asyncio.run(lab_rows(Path(home)))
    print_table(rows)


if __name__ == "__main__":
    main()
