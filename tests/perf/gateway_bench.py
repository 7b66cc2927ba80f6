"""What the gateway costs: the same public read direct and through the gateway, and the
isolated price of the two checks every request pays (JWT verification, a rate-limit hit).

Called by ``make bench`` (``await measure_gateway_overhead()``) or run alone:
``python -m tests.perf.gateway_bench``. Both servers run as uvicorn subprocesses on loopback,
so the load generator does not share their event loop. Read the ratios, not the numbers.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx
from litestar import Litestar, get

from cmh.gateway.settings import (
    GatewaySettings,
    InstanceSettings,
    RateLimitSettings,
    RateLimitsSettings,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.ratelimit import LimitsRateLimiter, RateLimit
from cmh.kernel.telemetry.setup import configure_tracing
from cmh.kernel.telemetry.web import tracing_plugins
from tests.perf.loadgen import measure, ratio_line
from tests.perf.servers import serve

UPSTREAM_ENV = "CMH_BENCH_UPSTREAM"
CATALOG: dict[str, object] = {
    "items": [
        {"id": f"c-{n}", "title": f"Cloud course {n}", "level": "beginner"} for n in range(5)
    ],
    "next_cursor": None,
}


def upstream_app() -> Litestar:
    """A service answering the catalog with a fixed document (uvicorn ``--factory``)."""

    @get("/api/v1/courses")
    async def catalog() -> dict[str, object]:
        return CATALOG

    @get(["/health/live", "/health/ready"])
    async def health() -> dict[str, str]:
        return {"status": "up"}

    configure_tracing("upstream")
    return Litestar([catalog, health], plugins=tracing_plugins())


def gateway_app() -> Litestar:
    """The gateway in front of ``$CMH_BENCH_UPSTREAM`` (uvicorn ``--factory``)."""
    from cmh.gateway.testing.gateway import build_gateway

    upstream = os.environ[UPSTREAM_ENV]
    configure_tracing("gateway")  # `CMH_OTEL__ENDPOINT=... make bench`: the price of tracing
    unlimited = RateLimitSettings(amount=10_000_000, per_seconds=60)
    settings = GatewaySettings(
        upstreams={"courses": [InstanceSettings(upstream)], "users": [InstanceSettings(upstream)]},
        principal_secret="bench",  # noqa: S106 - a throwaway key for a local benchmark
        rate_limits=RateLimitsSettings(auth=unlimited, read=unlimited, write=unlimited),
    )
    return build_gateway(settings, TokenSettings())


def _per_call_line(name: str, seconds: float, baseline: float, n: int) -> str:
    return (
        f"{name:<44} {seconds / n * 1e6:>9.2f} us/call   "
        f"(no-op loop {baseline / n * 1e6:.2f} us/call)"
    )


async def _timed(n: int, call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    for _ in range(n):
        await call()
    return time.perf_counter() - started


async def isolated_costs(n: int = 5_000) -> list[str]:
    key = SigningKey.generate()
    tokens = TokenSettings()
    now = datetime.now(UTC)
    token = TokenIssuer(key, tokens).issue_access(
        Principal("u-1", frozenset({"learner"})),
        now=now,
        token_id="t-1",  # noqa: S106
    )
    verifier = TokenVerifier(key.jwks(), tokens)
    limiter = LimitsRateLimiter.in_memory()
    limit = RateLimit("bench", 10_000_000, 60)

    async def noop() -> None:
        return None

    async def verify() -> None:
        verifier.verify(token, now=now)

    async def hit() -> None:
        await limiter.hit(limit, "ip:127.0.0.1")

    baseline = await _timed(n, noop)
    return [
        _per_call_line("JWT verification (EdDSA, pyjwt)", await _timed(n, verify), baseline, n),
        _per_call_line("rate-limit check (limits, memory)", await _timed(n, hit), baseline, n),
    ]


async def measure_gateway_overhead(total: int = 3000, concurrency: int = 16) -> None:

    def catalog(client: httpx.AsyncClient) -> Awaitable[httpx.Response]:
        return client.get("/api/v1/courses")

    print("\n== GET /api/v1/courses: fixed JSON upstream, direct vs through the gateway")
    with serve("tests.perf.gateway_bench:upstream_app", factory=True) as upstream:
        env = {UPSTREAM_ENV: upstream}
        with serve("tests.perf.gateway_bench:gateway_app", env=env, factory=True) as gateway:
            direct = await measure(
                "upstream direct (baseline)",
                upstream,
                catalog,
                total=total,
                concurrency=concurrency,
            )
            proxied = await measure(
                "through the gateway", gateway, catalog, total=total, concurrency=concurrency
            )
    print(direct.line())
    print(proxied.line())
    print(ratio_line("gateway vs direct", proxied, direct))
    print("\n== per-request checks in isolation")
    for line in await isolated_costs():
        print(line)


if __name__ == "__main__":
    asyncio.run(measure_gateway_overhead())
