"""`make bench`: each figure is a ratio against a baseline measured in the same run, the
load from ``wrk`` on one core and every server of a scenario on the other (``pinning``),
baseline and rival interleaved over ``CMH_BENCH_ROUNDS`` rounds (2; the median counts)
of ``CMH_BENCH_SECONDS`` (8) after a warm-up.

Rows: the embedded platform's users/me and catalog against bare Litestar handlers (and
against an idiomatic FastAPI + pydantic twin, when fastapi is installed); the
gateway against the service it proxies; a Redis rate-limit check against a bare
pipeline; the outbox relay against a raw Kafka producer; an event's way from an HTTP
write to its consumer's effect in PostgreSQL at 500 requests/s (``hey``) against the same
write without events; catalog reads on the read replica against the same reads on the
primary, both under a write load; labs' launch to ready with a warm pool against a cold one, its
teardown and concurrent provisioning (``labs_bench``); notifications' fan-out to 1,000
sockets and mail jobs through SQS (``notifications_bench``); each app's memory. Prints the
table with each target and whether it holds, writes ``bench-results.json`` and
``bench-results.svg`` (kept out of git).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import tempfile
from pathlib import Path

from tests.perf import embedded_bench
from tests.perf.gateway_bench import gateway_rows
from tests.perf.labs_bench import lab_rows
from tests.perf.notifications_bench import notification_rows
from tests.perf.outbox_bench import outbox_row
from tests.perf.pinning import LOAD_CPUS, SERVER_CPUS
from tests.perf.pipeline_bench import pipeline_row
from tests.perf.ratelimit_bench import ratelimit_row
from tests.perf.replica_bench import replica_row
from tests.perf.results import Row, print_table, rss_row, write
from tests.perf.servers import serve

PLATFORM_RSS_LIMIT_MB = 500.0


def header(title: str) -> None:
    print(f"\n== {title}", flush=True)


def embedded(rounds: int) -> list[Row]:
    env = {
        "CMH_DATA_DIR": tempfile.mkdtemp(prefix="cmh-bench-"),
        "CMH_LOG_LEVEL": "WARNING",
        # Measured, not limited: the in-process gateway policies would answer 429.
        "CMH_GATEWAY__RATE_LIMITS__LOGIN__AMOUNT": "100000000",
        "CMH_GATEWAY__RATE_LIMITS__READ__AMOUNT": "100000000",
    }
    rows: list[Row] = []
    with (
        serve("cmh.apps.platform.asgi:app", env=env, factory=True) as platform,
        serve("tests.perf.baseline_app:app", ready_path="/api/v1/users/me") as baseline,
    ):
        idle = platform.rss_mb(), baseline.rss_mb()
        header("GET /api/v1/users/me")
        rows += embedded_bench.users_me(platform, baseline, rounds)
        header("GET /api/v1/courses")
        rows += embedded_bench.catalog(platform, baseline, rounds)
        header("POST /api/v1/auth/login")
        rows += embedded_bench.login(platform, baseline)
        rows.append(rss_row("embedded platform", idle[0], platform, at_most=PLATFORM_RSS_LIMIT_MB))
        rows.append(rss_row("bare Litestar baseline", idle[1], baseline))
        if importlib.util.find_spec("fastapi") is not None:
            from tests.perf import fastapi_twin

            header("the same two endpoints against a FastAPI + pydantic twin")
            twin_env = {
                fastapi_twin.PLATFORM_ENV: platform.url,
                fastapi_twin.DATABASE_ENV: f"{env['CMH_DATA_DIR']}/platform.db",
            }
            with serve("tests.perf.fastapi_twin:app", env=twin_env, factory=True) as twin:
                rows += embedded_bench.fastapi_twin(platform, twin, rounds)
    return rows


def main() -> None:
    rounds = int(os.environ.get("CMH_BENCH_ROUNDS", "2"))
    print(f"load on cpu {LOAD_CPUS}, servers on cpu {SERVER_CPUS}, {rounds} rounds")
    rows = embedded(rounds)
    redis_url = os.environ.get("CMH_TEST_REDIS_URL")
    kafka = os.environ.get("CMH_TEST_KAFKA_BOOTSTRAP")
    if redis_url:
        header("gateway: GET /api/v1/courses with a token, direct vs proxied")
        rows += gateway_rows(redis_url, rounds)
        header("rate-limit check against Redis")
        rows.append(ratelimit_row(redis_url, rounds))
        header("notifications: fan-out to 1,000 sockets, mail jobs through SQS")
        rows += asyncio.run(notification_rows(redis_url))
    if kafka and os.environ.get("CMH_TEST_POSTGRES_URL"):
        header("outbox relay -> Kafka vs raw producer (same payloads, same broker)")
        rows.append(outbox_row(kafka, rounds))
        header("HTTP -> outbox -> Kafka -> consumer -> PostgreSQL at a fixed rate (hey)")
        rows.append(pipeline_row())
    if os.environ.get("CMH_TEST_POSTGRES_REPLICA_URL"):
        header("catalog reads under a write load, with and without the read replica")
        rows.append(replica_row(rounds))
    if os.environ.get("CMH_TEST_POSTGRES_URL"):
        header("labs on a moto server of its own: warm pool, teardown, concurrent provisioning")
        with tempfile.TemporaryDirectory(prefix="cmh-labs-bench-") as home:
            rows += asyncio.run(lab_rows(Path(home)))
    if not (redis_url and kafka):
        print("\n(no CMH_TEST_* server URLs: `make bench` starts the servers for every row)")
    print_table(rows)
    json_path, svg_path = write(
        rows, Path.cwd(), notes={"load_cpus": LOAD_CPUS, "server_cpus": SERVER_CPUS}
    )
    print(f"\nwrote {json_path.name} and {svg_path.name}")


if __name__ == "__main__":
    main()
