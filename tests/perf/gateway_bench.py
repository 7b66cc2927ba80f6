"""What the gateway costs: the same authenticated read direct to the service and through
the deployable gateway (``cmh.apps.gateway.main``: JWT verification against the service's
JWKS, the token-stamp check, a rate-limit hit in Redis, the breaker, the proxy), both
served on the servers' core.

Throughput with the generator's usual connections; the added latency (p50, p99) with one
connection, where it is the hop's own cost rather than a queue behind a saturated core.
Run alone: ``python -m tests.perf.gateway_bench``.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from litestar import Litestar, get

from cmh.gateway.settings import GatewaySettings
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings
from cmh.kernel.telemetry.setup import configure_tracing
from cmh.kernel.telemetry.web import tracing_plugins
from tests.perf.results import Row, alternate, mark, rss_row, throughput_row
from tests.perf.servers import serve
from tests.perf.wrk import Load, run

KEY_ENV = "CMH_BENCH_SIGNING_KEY"
CATALOG: dict[str, object] = {
    "items": [
        {"id": f"c-{n}", "title": f"Cloud course {n}", "level": "beginner"} for n in range(5)
    ],
    "next_cursor": None,
}


def upstream_app() -> Litestar:
    """A service answering the catalog with a fixed document and publishing the JWKS of
    ``$CMH_BENCH_SIGNING_KEY`` (uvicorn ``--factory``)."""
    jwks = SigningKey.from_pem(os.environ[KEY_ENV]).jwks()

    @get("/api/v1/courses")
    async def catalog() -> dict[str, object]:
        return CATALOG

    @get("/.well-known/jwks.json")
    async def keys() -> dict[str, list[dict[str, str]]]:
        return jwks

    @get(["/health/live", "/health/ready"])
    async def health() -> dict[str, str]:
        return {"status": "up"}

    configure_tracing("upstream")
    return Litestar([catalog, keys, health], plugins=tracing_plugins())


def gateway_app() -> Litestar:
    """The deployable gateway, configured by the environment (uvicorn ``--factory``)."""
    from cmh.apps.gateway.main import create_app
    from cmh.apps.gateway.settings import load_gateway_settings
    from cmh.kernel.logging import configure_logging
    from cmh.kernel.long_lived import set_aside_startup_objects

    settings = load_gateway_settings()
    configure_logging(settings.log_level)
    configure_tracing("gateway")  # `CMH_OTEL__ENDPOINT=... make bench`: the price of tracing
    gateway = create_app(settings)
    gateway.on_startup.append(set_aside_startup_objects)  # as its deployable's server does
    return gateway


def gateway_env(upstream: str, redis_url: str) -> dict[str, str]:
    return {
        "CMH_LOG_LEVEL": "WARNING",
        "CMH_METRICS_PORT": "0",
        # Every upstream the default routes name points at the one measured server.
        "CMH_GATEWAY__UPSTREAMS": json.dumps(
            {name: [{"url": upstream}] for name in set(GatewaySettings().routes.values())}
        ),
        "CMH_GATEWAY__PRINCIPAL_SECRET": "bench",
        "CMH_RATE_LIMIT_STORE": "redis",
        "CMH_REDIS__URL": redis_url,
        "CMH_TOKEN_STAMPS__URL": redis_url,
        # Measured, not limited: every request still pays its rate-limit hit.
        "CMH_GATEWAY__RATE_LIMITS__READ__AMOUNT": "100000000",
    }


def bearer(key: SigningKey) -> dict[str, str]:
    token = TokenIssuer(key, TokenSettings()).issue_access(
        Principal("u-bench", frozenset({"learner"})),
        now=datetime.now(UTC),
        token_id="t-bench",  # noqa: S106 - a throwaway token for a local benchmark
    )
    return {"Authorization": f"Bearer {token}"}


def _pem(key: SigningKey) -> str:
    return key.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def gateway_rows(redis_url: str, rounds: int) -> list[Row]:
    key = SigningKey.generate()
    auth = bearer(key)
    path = "/api/v1/courses"
    upstream = {KEY_ENV: _pem(key)}
    with serve("tests.perf.gateway_bench:upstream_app", env=upstream, factory=True) as up:
        env = gateway_env(up.url, redis_url)
        with serve("tests.perf.gateway_bench:gateway_app", env=env, factory=True) as gw:
            idle = gw.rss_mb()
            direct, proxied = alternate(
                rounds,
                lambda: run("direct to the service", up.url + path, headers=auth),
                lambda: run("through the gateway", gw.url + path, headers=auth),
            )
            one = Load(connections=1)
            direct_1, proxied_1 = alternate(
                rounds,
                lambda: run("direct, 1 connection", up.url + path, headers=auth, load=one),
                lambda: run("gateway, 1 connection", gw.url + path, headers=auth, load=one),
            )
            memory = rss_row("gateway", idle, gw)
    for line in (direct, proxied, direct_1, proxied_1):
        print(line.line())
    throughput = throughput_row(
        "gateway-proxied GET /api/v1/courses",
        "direct to the service",
        proxied,
        direct,
        at_least=0.80,
    )
    p50 = proxied_1.p50_ms - direct_1.p50_ms
    p99 = proxied_1.p99_ms - direct_1.p99_ms
    latency = Row(
        scenario="gateway added latency (1 connection)",
        baseline="direct to the service",
        target="<= +1 ms p50, <= +3 ms p99",
        figure=f"p50 {p50:+.2f} ms, p99 {p99:+.2f} ms",
        holds=p50 <= 1.0 and p99 <= 3.0,
        runs=[
            {"name": r.name, "rps": round(r.rps, 1), "p50_ms": r.p50_ms, "p99_ms": r.p99_ms}
            for r in (proxied_1, direct_1)
        ],
    )
    print(f"  -> {throughput.figure} [{mark(throughput.holds)}]; {latency.figure}")
    return [throughput, latency, memory]


if __name__ == "__main__":
    for row in gateway_rows(os.environ["CMH_TEST_REDIS_URL"], rounds=1):
        print(row)
