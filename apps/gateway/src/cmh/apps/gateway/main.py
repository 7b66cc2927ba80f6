"""API gateway (distributed profile).

python -m cmh.apps.gateway.main        serve on CMH_HTTP__HOST:CMH_HTTP__PORT (127.0.0.1:8080)
"""

from __future__ import annotations

import uvicorn
from dishka import Provider
from litestar import Litestar

from cmh.apps.gateway.container import build_container
from cmh.apps.gateway.settings import GatewayServiceSettings, load_gateway_settings
from cmh.gateway.api.app import create_gateway_app
from cmh.kernel.logging import configure_logging


def create_app(settings: GatewayServiceSettings, *overrides: Provider) -> Litestar:
    return create_gateway_app(
        container=build_container(settings, *overrides),
        settings=settings.gateway,
        http=settings.http,
    )


def main() -> None:
    settings = load_gateway_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.http.host,
        port=settings.http.port,
        log_level="warning",
        server_header=False,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
    )


if __name__ == "__main__":
    main()
