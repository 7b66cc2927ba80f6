"""`make bench`: each figure is a ratio against a baseline measured in the same run.

1. Embedded platform vs a bare Litestar handler returning the same JSON:
   login (argon2 verify + token issue + refresh token row) and GET /api/v1/users/me
   (JWT verification + DI + one SQLite read).
2. Course catalog list and detail, cold (every request a new cache key) and cached,
   vs a bare handler returning the same JSON.
3. Gateway-proxied vs direct GET /api/v1/courses; JWT verification and one rate-limit
   check per request vs a no-op loop.
4. Outbox relay throughput to Kafka vs the raw producer sending the same payloads.
"""

from __future__ import annotations

import asyncio
import os
import tempfile

import httpx

from tests.perf.gateway_bench import measure_gateway_overhead
from tests.perf.loadgen import Result, measure, ratio_line
from tests.perf.outbox_bench import relay_vs_raw_producer
from tests.perf.servers import serve

LEARNER = {"email": "learner@cloudmastershub.dev", "password": "learn-the-cloud-42"}


def header(title: str) -> None:
    print(f"\n== {title}", flush=True)


async def users_endpoints(platform: str, baseline: str) -> None:
    async with httpx.AsyncClient(base_url=platform) as client:
        token = (await client.post("/api/v1/auth/login", json=LEARNER)).json()["access_token"]
    auth = {"authorization": f"Bearer {token}"}

    def login(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
        return client.post("/api/v1/auth/login", json=LEARNER)

    def me(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
        return client.get("/api/v1/users/me", headers=auth)

    header("GET /api/v1/users/me")
    base_me = await measure("bare Litestar handler (baseline)", baseline, me, total=3000)
    ours_me = await measure("embedded platform", platform, me, total=3000)
    _report(ours_me, base_me)

    header("POST /api/v1/auth/login (argon2id verify dominates by design)")
    base_login = await measure(
        "bare Litestar handler (baseline)", baseline, login, total=1000, concurrency=4
    )
    ours_login = await measure(
        "embedded platform", platform, login, total=120, concurrency=4, warmup=4
    )
    _report(ours_login, base_login)


async def catalog_endpoints(platform: str, baseline: str) -> None:
    async with httpx.AsyncClient(base_url=platform) as client:
        listing = (await client.get("/api/v1/courses")).json()
    course_id = listing["items"][0]["id"]
    # Distinct cache keys that all answer the same full page (4 courses and facets).
    cold_keys = iter(range(4, 51))  # limit is at most 50

    def cold_list(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
        # A new cache key each time: the search really runs.
        return client.get("/api/v1/courses", params={"limit": next(cold_keys)})

    def cached_list(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
        return client.get("/api/v1/courses")

    def detail(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
        return client.get(f"/api/v1/courses/{course_id}")

    def base_list(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
        return client.get("/api/v1/courses")

    def base_detail(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
        return client.get("/api/v1/courses/x")

    header("GET /api/v1/courses (catalog list)")
    base = await measure("bare Litestar handler (baseline)", baseline, base_list, total=2000)
    cold = await measure(
        "embedded, cold (new cache key each)", platform, cold_list, total=47, warmup=0
    )
    cached = await measure("embedded, cached", platform, cached_list, total=2000)
    print(base.line())
    print(cold.line())
    print(cached.line())
    print(ratio_line("cold vs baseline", cold, base))
    print(ratio_line("cached vs baseline", cached, base))

    header("GET /api/v1/courses/{id} (catalog detail, cached after the first read)")
    base_d = await measure("bare Litestar handler (baseline)", baseline, base_detail, total=2000)
    ours_d = await measure("embedded platform", platform, detail, total=2000)
    _report(ours_d, base_d)


def _report(ours: Result, baseline: Result) -> None:
    print(baseline.line())
    print(ours.line())
    print(ratio_line("ours vs baseline", ours, baseline))


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="cmh-bench-")
    env = {
        "CMH_DATA_DIR": data_dir,
        "CMH_LOG_LEVEL": "WARNING",
        # Measured, not limited: the in-process gateway policies would answer 429.
        "CMH_GATEWAY__RATE_LIMITS__LOGIN__AMOUNT": "1000000",
        "CMH_GATEWAY__RATE_LIMITS__READ__AMOUNT": "1000000",
    }
    with (
        serve("cmh.apps.platform.asgi:app", env=env, factory=True) as platform,
        serve("tests.perf.baseline_app:app", ready_path="/api/v1/users/me") as baseline,
    ):
        asyncio.run(users_endpoints(platform, baseline))
        asyncio.run(catalog_endpoints(platform, baseline))
    header("gateway")
    asyncio.run(measure_gateway_overhead())
    if os.environ.get("CMH_TEST_KAFKA_BOOTSTRAP"):
        header("outbox relay -> Kafka vs raw producer (same payloads, same broker)")
        asyncio.run(relay_vs_raw_producer(os.environ["CMH_TEST_KAFKA_BOOTSTRAP"], data_dir))
    else:
        print("\n(no CMH_TEST_KAFKA_BOOTSTRAP: `make bench` starts Kafka for the relay figure)")


if __name__ == "__main__":
    main()
