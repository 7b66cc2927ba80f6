"""API gateway (distributed profile).

python -m cmh.apps.gateway.main        serve on CMH_HTTP__HOST:CMH_HTTP__PORT (127.0.0.1:8080),
                                       Prometheus metrics on CMH_METRICS_PORT (9080)
"""

from __future__ import annotations

from dishka import Provider
from litestar import Litestar
from prometheus_client import start_http_server

from cmh.apps.gateway.container import build_container
from cmh.apps.gateway.settings import GatewayServiceSettings, load_gateway_settings
from cmh.gateway.api.app import create_gateway_app
from cmh.kernel.logging import configure_logging
from cmh.kernel.telemetry.setup import configure_tracing
from cmh.kernel.web.serving import serve, uvicorn_config


def create_app(settings: GatewayServiceSettings, *overrides: Provider) -> Litestar:
    return create_gateway_app(
        container=build_container(settings, *overrides),
        settings=settings.gateway,
        http=settings.http,
    )


def main() -> None:
    settings = load_gateway_settings()
    configure_logging(settings.log_level, service="gateway")
    configure_tracing("gateway")
    # The edge: forwarded headers count only from CMH_HTTP__FORWARDED_ALLOW_IPS (none by default).
    if settings.metrics_port:
        # The scraper's own listener (prometheus_client's): the public port has no /metrics.
        start_http_server(settings.metrics_port, addr=settings.http.host)
    serve(uvicorn_config(create_app(settings), settings.http), settings.http.drain_seconds)


if __name__ == "__main__":
    main()
