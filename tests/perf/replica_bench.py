"""Catalog reads with and without the read replica, under the same concurrent write load.

One app (uvicorn on the servers' core) built from the kernel's providers over a PostgreSQL
database of its own, served twice: once with ``DatabaseSettings.read_url`` on infra/local's
streaming replica (``ReadReplicaProvider``: read-only requests there, read-your-writes kept
per caller), once on the primary alone. ``GET /catalog`` reads a page of 20 courses, as the
catalog's cold path does; ``POST /enrollments`` writes through the unit of work as a learner
(so it pays for keeping its WAL position and waiting for the replica). ``hey`` keeps the
writes at a fixed rate while ``wrk`` measures the reads, both on the load core.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
from dishka import AsyncContainer, Provider, Scope, provide
from litestar import Litestar, get, post
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.di import (
    ClockProvider,
    InProcessBusProvider,
    LocalLeaseProvider,
    MemoryCacheProvider,
    ReadReplicaProvider,
    SqlProvider,
)
from cmh.kernel.logging import configure_logging
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import assemble
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.uow import UnitOfWork
from cmh.kernel.web.middleware import request_context_middleware
from cmh_testing.kernel.servers import fresh_postgres_database, postgres_replica_url
from tests.perf.pinning import LOAD_CPUS, pinned
from tests.perf.results import Row, alternate
from tests.perf.servers import serve
from tests.perf.wrk import Load, Run, run

DATABASE_ENV = "CMH_BENCH_REPLICA_PRIMARY"
READ_ENV = "CMH_BENCH_REPLICA_READ"
COURSES = 2_000
WRITES_PER_SECOND = 200

metadata = MetaData()
courses = Table(
    "bench_courses",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("summary", String(2000), nullable=False),
    Column("enrolled", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
)
enrollments = Table(
    "bench_enrollments",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("course_id", String(40), nullable=False),
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
)


class BrowsePage:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def execute(self, page: int) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(courses.c.id, courses.c.title, courses.c.summary, courses.c.enrolled)
            .order_by(courses.c.updated_at.desc())
            .limit(20)
            .offset(20 * page)
        )
        return [dict(row._mapping) for row in rows]


class Enroll:
    def __init__(self, uow: UnitOfWork, session: AsyncSession) -> None:
        self._uow = uow
        self._session = session

    async def execute(self, course_id: str) -> None:
        async with self._uow:
            await self._session.execute(
                insert(enrollments).values(
                    id=uuid.uuid4().hex, course_id=course_id, enrolled_at=func.now()
                )
            )
            await self._session.execute(
                courses.update()
                .where(courses.c.id == course_id)
                .values(enrolled=courses.c.enrolled + 1, updated_at=func.now())
            )
            await self._uow.commit()


class CatalogProvider(Provider):
    scope = Scope.REQUEST
    browse = provide(BrowsePage)
    enroll = provide(Enroll)


def app() -> Litestar:
    """The bench's app (uvicorn ``--factory``); reads on the replica when ``READ_ENV`` is set."""
    configure_logging("WARNING")
    settings = DatabaseSettings(url=os.environ[DATABASE_ENV], read_url=os.environ.get(READ_ENV, ""))
    replica = [ReadReplicaProvider()] if settings.read_url else []
    container = assemble(
        ClockProvider(),
        SqlProvider(),
        LocalLeaseProvider(),
        InProcessBusProvider(),
        MemoryCacheProvider(),
        CatalogProvider(),
        *replica,
        context={DatabaseSettings: settings, InProcessBus: InProcessBus([])},
    )

    @get("/catalog")
    async def browse(page: int = 0) -> list[dict[str, Any]]:
        return await _browse(container, page)

    @post("/enrollments", status_code=201)
    async def enroll() -> None:
        async with container() as request:
            await (await request.get(Enroll)).execute(f"course-{random.randrange(COURSES)}")

    @get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "up"}

    async def close() -> None:
        await container.close()

    return Litestar(
        [browse, enroll, live], middleware=[request_context_middleware], on_shutdown=[close]
    )


async def _browse(container: AsyncContainer, page: int) -> list[dict[str, Any]]:
    async with container() as request:
        return await (await request.get(BrowsePage)).execute(page)


async def _seed(url: str) -> None:
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(dsn)
    try:
        name = make_url(url).database
        await conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = on')
        await conn.execute(
            "CREATE TABLE bench_courses (id varchar(40) PRIMARY KEY, title varchar(200) NOT NULL,"
            " summary varchar(2000) NOT NULL, enrolled integer NOT NULL,"
            " updated_at timestamptz NOT NULL DEFAULT now())"
        )
        await conn.execute("CREATE INDEX ON bench_courses (updated_at DESC)")
        await conn.execute(
            "CREATE TABLE bench_enrollments (id varchar(40) PRIMARY KEY,"
            " course_id varchar(40) NOT NULL, enrolled_at timestamptz NOT NULL)"
        )
        await conn.copy_records_to_table(
            "bench_courses",
            records=[
                (f"course-{n}", f"Course {n}: VPC design", "Peer, route, inspect. " * 20, 0)
                for n in range(COURSES)
            ],
            columns=["id", "title", "summary", "enrolled"],
        )
        await conn.execute(
            "UPDATE bench_courses SET updated_at = now() - random() * interval '9 days'"
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def _replayed(replica_url: str) -> None:
    """Until the replica has the seeded catalog."""
    dsn = replica_url.replace("postgresql+asyncpg", "postgresql")
    for _ in range(200):
        try:
            conn = await asyncpg.connect(dsn)
        except (asyncpg.InvalidCatalogNameError, OSError):
            await asyncio.sleep(0.1)
            continue
        try:
            if await conn.fetchval("SELECT to_regclass('bench_courses') IS NOT NULL") and (
                await conn.fetchval("SELECT count(*) FROM bench_courses") == COURSES
            ):
                return
        finally:
            await conn.close()
        await asyncio.sleep(0.1)
    raise RuntimeError("the replica never replayed the seeded catalog")


@contextmanager
def writes(url: str, seconds: float) -> Iterator[None]:
    """``WRITES_PER_SECOND`` learner enrollments (hey, 10 workers) for ``seconds``."""
    hey = shutil.which("hey")
    if hey is None:
        raise RuntimeError("hey is not installed: `make bench` installs it (apt-get install hey)")
    args = [hey, "-z", f"{seconds:.0f}s", "-c", "10", "-q", str(WRITES_PER_SECOND // 10)]
    args += ["-m", "POST", "-H", "Authorization: Bearer bench-learner", url + "/enrollments"]
    process = subprocess.Popen(
        pinned(args, LOAD_CPUS), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield
    finally:
        out, _ = process.communicate(timeout=seconds + 30)
        if "[201]" not in out or "Error distribution" in out:
            raise RuntimeError(f"the write load failed\n{out}")


def _reads(name: str, base_url: str, load: Load) -> Run:
    # A page among the first 25: the cold path of the catalog, no cache in front.
    script = "request = function()\n"
    script += '  return wrk.format("GET", "/catalog?page=" .. math.random(0, 24))\nend\n'
    with writes(base_url, load.warmup_seconds + load.seconds + 1):
        measured = run(name, base_url + "/catalog", load=load, script=script)
    print(measured.line())
    return measured


def replica_row(rounds: int) -> Row:
    load = Load()
    with_replica, primary_only = asyncio.run(_measure(rounds, load))
    ratio = with_replica.rps / primary_only.rps
    return Row(
        scenario=f"catalog reads under {WRITES_PER_SECOND} writes/s, with the read replica",
        baseline="the same reads on the primary alone",
        target="reported",
        figure=(
            f"{ratio:.2f}x rps ({with_replica.rps:.0f} vs {primary_only.rps:.0f}); p99 "
            f"{with_replica.p99_ms:.1f} vs {primary_only.p99_ms:.1f} ms"
        ),
        holds=None,
        ratio=ratio,
        runs=[
            {"name": r.name, "rps": round(r.rps, 1), "p50_ms": r.p50_ms, "p99_ms": r.p99_ms}
            for r in (with_replica, primary_only)
        ],
    )


async def _measure(rounds: int, load: Load) -> tuple[Run, Run]:
    async with fresh_postgres_database("cmh_bench_replica") as url:
        await _seed(url)
        replica_url = (
            make_url(postgres_replica_url())
            .set(database=make_url(url).database)
            .render_as_string(hide_password=False)
        )
        await _replayed(replica_url)
        with (
            serve(
                "tests.perf.replica_bench:app",
                env={DATABASE_ENV: url, READ_ENV: replica_url},
                factory=True,
            ) as replicated,
            serve("tests.perf.replica_bench:app", env={DATABASE_ENV: url}, factory=True) as alone,
        ):
            # Blocking on purpose: nothing else runs on this loop while wrk and hey do.
            replica_run, primary_run = alternate(
                rounds,
                lambda: _reads("reads on the replica, writes on the primary", replicated.url, load),
                lambda: _reads("reads and writes on the primary", alone.url, load),
            )
            return replica_run, primary_run
