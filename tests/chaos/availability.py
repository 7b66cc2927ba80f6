"""`make chaos`: how the platform rides out Kafka failures, printed against the targets.

On a private stack (its own broker, users and courses APIs, courses worker, gateway; see
``tests/chaos/stack.py``), under the steady mix of ``tests/chaos/load.py``:

1. The broker is SIGKILLed for 60 s, then restarted:
   - requests answered 2xx through the gateway during the outage (>= 99%),
   - the broker's re-registration time: from the restarted JVM's launch until a Metadata
     request lists it (<= 10 s),
   - the outbox drain time: from the broker answering again until no event is left unsent
     (<= 30 s), and until every accepted write is indexed (printed),
   - lines the courses worker logged over the outage, all at INFO or above (< 100).
2. The broker is SIGKILLed and restarted twice more, idle: re-registration time each time.
3. The courses worker is SIGKILLed three times; meanwhile a course is published (its event
   waits in the outbox); the worker is restarted: time from its launch until it has
   consumed that event, i.e. the course is indexed (<= 10 s), split into the process start
   (imports, container) and the rest (joining its group: static membership); then once
   more with dynamic membership, as a baseline.

Timings depend on the machine: the load average is printed with them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from infra.local.wirecheck import kafka as kafka_metadata
from tests.chaos.ledger import outbox_backlog, read_ledger, wait_for_ledger
from tests.chaos.load import Mix
from tests.chaos.stack import ADMIN_EMAIL, ADMIN_PASSWORD, Stack, private_stack, progress

OUTAGE_SECONDS = 60.0
RESULTS: list[tuple[str, str, str, bool | None]] = []


def report(what: str, measured: str, target: str = "", ok: bool | None = None) -> None:
    RESULTS.append((what, measured, target, ok))
    verdict = "" if ok is None else ("ok" if ok else "MISSED")
    progress(f"{what}: {measured} {f'(target {target}) {verdict}' if target else ''}")


async def until(check: Callable[[], Awaitable[bool]], timeout: float, step: float = 0.1) -> float:
    """Seconds until ``check`` holds (monotonic); raises after ``timeout``."""
    started = time.monotonic()
    while not await check():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"not within {timeout}s")
        await asyncio.sleep(step)
    return time.monotonic()


async def restart_broker(stack: Stack) -> tuple[float, float]:
    """Restarts the killed broker; returns (JVM launch, broker registered), monotonic."""
    pidfile = stack.broker.state / "kafka.pid"
    before = pidfile.stat().st_mtime if pidfile.exists() else 0.0
    starting = asyncio.create_task(stack.broker.start())

    async def launched() -> bool:
        return pidfile.exists() and pidfile.stat().st_mtime > before

    await until(launched, 180)
    # The pid file is written just before the exec of the JVM: its mtime is the launch.
    launch = time.monotonic() - (time.time() - pidfile.stat().st_mtime)

    async def registered() -> bool:
        try:
            await asyncio.to_thread(kafka_metadata, "127.0.0.1", stack.broker.port)
        except (OSError, ValueError):
            return False
        return True

    answered = await until(registered, 180)
    await starting
    return launch, answered


def log_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


async def outage_under_load(stack: Stack) -> None:
    mix = Mix(stack.gateway, ADMIN_EMAIL, ADMIN_PASSWORD)
    stop = asyncio.Event()
    load = asyncio.create_task(mix.run(stop))
    try:
        await asyncio.sleep(5)
        worker_log = stack.log("courses-worker")
        lines_before = log_lines(worker_log)
        stack.broker.kill()
        down_at = time.monotonic()
        progress(f"broker SIGKILLed for {OUTAGE_SECONDS:.0f} s under load")
        peak = 0
        while time.monotonic() - down_at < OUTAGE_SECONDS:
            peak = max(peak, (await outbox_backlog(stack.courses_db))[0])
            await asyncio.sleep(min(2.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
        back_at = time.monotonic()
        launch, registered = await restart_broker(stack)
        lines_during = log_lines(worker_log) - lines_before
        # The backlog is what was written before the broker answered; the load goes on.
        _, cutoff = await outbox_backlog(stack.courses_db)

        async def drained() -> bool:
            return (await outbox_backlog(stack.courses_db, cutoff))[0] == 0

        empty = await until(drained, 300, step=0.2)
    finally:
        stop.set()
        await asyncio.wait_for(load, 30)
    await wait_for_ledger(stack.courses_db, mix.accepted)
    indexing_seconds = time.monotonic() - registered

    during = mix.between(down_at, back_at)
    ok_2xx = sum(1 for a in during if 200 <= a.status < 300)
    share = 100.0 * ok_2xx / max(1, len(during))
    report(
        "requests answered 2xx through the gateway during the outage",
        f"{ok_2xx}/{len(during)} ({share:.1f}%)",
        ">= 99%",
        share >= 99.0,
    )
    report("events waiting in the outbox at the peak of the outage", str(peak))
    report(
        "broker re-registration after SIGKILL (JVM launch -> listed in Metadata)",
        f"{registered - launch:.1f} s",
        "<= 10 s",
        registered - launch <= 10.0,
    )
    report(
        "outbox drain time (broker answering -> its backlog all sent, load going on)",
        f"{empty - registered:.1f} s",
        "<= 30 s",
        empty - registered <= 30.0,
    )
    report(
        f"every accepted write indexed ({len(mix.accepted)} courses, load stopped once drained)",
        f"{indexing_seconds:.1f} s after the broker answered",
    )
    report(
        "courses worker log lines over the outage (all INFO or above)",
        str(lines_during),
        "< 100",
        lines_during < 100,
    )


async def broker_restarts(stack: Stack, times: int = 2) -> None:
    seconds = []
    for _ in range(times):
        stack.broker.kill()
        launch, registered = await restart_broker(stack)
        seconds.append(registered - launch)
    report(
        f"broker re-registration after SIGKILL, idle ({times} more times)",
        ", ".join(f"{s:.1f} s" for s in seconds),
        "<= 10 s",
        max(seconds) <= 10.0,
    )


async def restart_worker(
    stack: Stack, client: httpx.AsyncClient, auth: dict[str, str]
) -> tuple[float, float]:
    """SIGKILL the worker, publish a course (its event waits in the outbox), restart the
    worker; returns seconds from its launch until its process is up (imports done, the
    FastStream app starting) and until the course is indexed."""
    stack.kill("courses-worker")
    course_id = await publish_one_course(client, auth)
    log = stack.log("courses-worker")
    seen = log.read_bytes().count(b"FastStream app starting")
    stack.start("courses-worker")
    launch = stack.started_at["courses-worker"]

    async def up() -> bool:
        return log.read_bytes().count(b"FastStream app starting") > seen

    async def indexed() -> bool:
        return course_id in (await read_ledger(stack.courses_db)).indexed

    process_up = await until(up, 120, step=0.05)
    consuming = await until(indexed, 120, step=0.05)
    await stack.ready("courses-worker")
    return process_up - launch, consuming - launch


async def worker_restarts(stack: Stack, times: int = 3) -> None:
    static: list[tuple[float, float]] = []
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=10) as client:
        login = await client.post(
            "/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        )
        auth = {"authorization": f"Bearer {login.json()['access_token']}"}
        for _ in range(times):
            static.append(await restart_worker(stack, client, auth))
        # Baseline, last: the same restart with dynamic group membership.
        stack.env["courses-worker"]["CMH_KAFKA__GROUP_INSTANCE_ID"] = ""
        dynamic = await restart_worker(stack, client, auth)
    consuming = [total for _, total in static]
    report(
        "killed worker consuming again (launch -> the waiting event indexed)",
        ", ".join(f"{s:.1f} s" for s in consuming)
        + f" (median {statistics.median(consuming):.1f} s)",
        "<= 10 s",
        max(consuming) <= 10.0,
    )
    report(
        "  of which: process start (launch -> imports done, app starting)",
        ", ".join(f"{up:.1f} s" for up, _ in static),
    )
    report(
        "  of which: app starting -> consuming (static group membership)",
        ", ".join(f"{total - up:.1f} s" for up, total in static),
    )
    report(
        "  baseline, dynamic group membership: app starting -> consuming",
        f"{dynamic[1] - dynamic[0]:.1f} s (waits for the dead member's 6 s session, "
        "unless the process start took longer)",
    )


async def publish_one_course(client: httpx.AsyncClient, auth: dict[str, str]) -> str:
    async def post(path: str, body: dict[str, object] | None = None) -> dict[str, str]:
        response = await client.post(path, headers=auth, json=body)
        if response.status_code >= 300:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text[:300]}")
        answer: dict[str, str] = response.json()
        return answer

    course = await post(
        "/api/v1/courses",
        {"title": "Restart me", "provider": "gcp", "level": "beginner", "summary": "Waits."},
    )
    module = await post(f"/api/v1/courses/{course['id']}/modules", {"title": "Module one"})
    await post(
        f"/api/v1/courses/{course['id']}/modules/{module['id']}/lessons",
        {"title": "Lesson one", "kind": "text"},
    )
    await post(f"/api/v1/courses/{course['id']}/publish")
    return course["id"]


PHASES = {"outage": outage_under_load, "broker": broker_restarts, "worker": worker_restarts}


async def main(phases: list[str]) -> None:
    progress(f"load average {os.getloadavg()[0]:.1f} (2-core machine shared with others)")
    # CMH_CHAOS_KEEP=1 keeps the stack's logs (printed at the end) for a closer look.
    keep = bool(os.environ.get("CMH_CHAOS_KEEP"))
    home = tempfile.mkdtemp(prefix="cmh-chaos-")
    try:
        async with asyncio.timeout(1200), private_stack(Path(home) / "stack") as stack:
            for phase in phases:
                await PHASES[phase](stack)
    finally:
        if keep:
            print(f"logs kept in {home}/stack")
        else:
            shutil.rmtree(home, ignore_errors=True)
    print(f"\n== make chaos (load average now {os.getloadavg()[0]:.1f})")
    for what, measured, target, ok in RESULTS:
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"  {what:<72} {measured:<28} {target:<8} {verdict}")


async def run() -> None:
    # SIGTERM (a timeout, Ctrl-C) unwinds through the stack's cleanup like an error does.
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, task.cancel)
    # `python -m tests.chaos.availability worker` runs one phase; no argument: all three.
    await main(sys.argv[1:] or list(PHASES))


if __name__ == "__main__":
    asyncio.run(run())
