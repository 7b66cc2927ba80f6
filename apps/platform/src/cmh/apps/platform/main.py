"""`make run`: the embedded platform on http://127.0.0.1:8000 (PORT overrides)."""

from __future__ import annotations

import uvicorn
from dishka import Provider

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings, load_platform_settings
from cmh.kernel.logging import configure_logging, log_format
from cmh.kernel.telemetry.setup import configure_tracing
from cmh.kernel.web.serving import serve, uvicorn_config


def server_config(settings: PlatformSettings, *overrides: Provider) -> uvicorn.Config:
    """How the platform is served. It is the edge: a client's X-Forwarded-For is ignored
    unless CMH_HTTP__FORWARDED_ALLOW_IPS names the proxy in front of it."""
    return uvicorn_config(create_app(settings, *overrides), settings.http, lifespan="on")


def main() -> None:
    settings = load_platform_settings()
    # A person reads `make run`'s lines: the console format unless CMH_LOG_FORMAT says otherwise.
    configure_logging(settings.log_level, service="platform", format=log_format("console"))
    # Exports nothing unless CMH_OTEL__ENDPOINT names a collector (Jaeger: infra/local).
    configure_tracing("platform")
    config = server_config(settings)
    base = f"http://{settings.http.host}:{settings.http.port}"
    print(
        f"==> CloudMastersHub embedded platform on {base}  (docs: {base}/schema, Ctrl-C stops)",
        flush=True,
    )
    serve(config)


if __name__ == "__main__":
    main()
