"""ASGI factory for process managers:
`uvicorn --factory --no-proxy-headers cmh.apps.platform.asgi:app`.

Pass `--no-proxy-headers` (or `--forwarded-allow-ips=<your proxy>`): uvicorn's own default
believes any X-Forwarded-For sent from 127.0.0.1, which lets a local caller pick the
address rate limits count. `make run` (main.py) serves it through the kernel's
`uvicorn_config`, which trusts only CMH_HTTP__FORWARDED_ALLOW_IPS.
"""

from __future__ import annotations

from litestar import Litestar

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import load_platform_settings
from cmh.kernel.logging import configure_logging
from cmh.kernel.long_lived import set_aside_startup_objects
from cmh.kernel.telemetry.setup import configure_tracing


def app() -> Litestar:
    settings = load_platform_settings()
    configure_logging(settings.log_level, service="platform")
    configure_tracing("platform")  # only when CMH_OTEL__ENDPOINT is set
    platform = create_app(settings)
    # As `make run`'s server does (cmh.kernel.web.serving): once started, what the start
    # built is set aside from the garbage collector's full passes.
    platform.on_startup.append(set_aside_startup_objects)
    return platform
