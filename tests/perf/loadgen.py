"""A small closed-loop load generator: N concurrent clients for a bounded number of
requests against a loopback server; reports requests/s, p50 and p99.

Absolute numbers depend on this shared 2-core machine; the benchmarks compare each
target with a baseline measured the same way in the same run, so read the ratios.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<44} {self.rps:>9.0f} req/s   p50 {self.p50_ms:>7.2f} ms   "
            f"p99 {self.p99_ms:>7.2f} ms   errors {self.errors}"
        )


Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def measure(
    name: str,
    base_url: str,
    request: Request,
    *,
    total: int = 2000,
    concurrency: int = 16,
    warmup: int = 100,
) -> Result:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0) as client:
        for _ in range(warmup):
            await request(client)
        latencies: list[float] = []
        errors = 0
        remaining = total

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await request(client)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code >= 400:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    if errors:
        # A figure made of error answers compares nothing: refuse it loudly.
        raise RuntimeError(f"{name}: {errors} of {len(latencies)} answers were errors")
    return Result(name, len(latencies), elapsed, quantiles[49], quantiles[98], errors)


def ratio_line(label: str, ours: Result, baseline: Result) -> str:
    return (
        f"  -> {label}: {ours.rps / baseline.rps:.2f}x the baseline's throughput, "
        f"p50 {ours.p50_ms / baseline.p50_ms:.2f}x its latency"
    )
