"""The Litestar app factory every service uses: problem details, request ids, health,
metrics, OpenAPI under /schema, body size limit, and the dishka container."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from dishka import AsyncContainer
from dishka.integrations.litestar import setup_dishka
from litestar import Litestar
from litestar.logging.config import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController

from cmh.kernel.settings import HttpSettings
from cmh.kernel.telemetry.web import tracing_plugins
from cmh.kernel.web.allow_header import correct_allow_header
from cmh.kernel.web.bounded_json import BoundedJsonRequest
from cmh.kernel.web.docs import docs_assets_router, render_plugins
from cmh.kernel.web.edge_headers import cors_config, security_headers
from cmh.kernel.web.health import HealthController
from cmh.kernel.web.middleware import request_context_middleware
from cmh.kernel.web.openapi_problems import complete_openapi_on_startup
from cmh.kernel.web.problems import exception_handlers


class MetricsController(PrometheusController):
    """Prometheus text format for scrapers: not part of the documented JSON API."""

    include_in_schema = False


def create_http_app(
    *,
    container: AsyncContainer,
    route_handlers: Sequence[Any],
    title: str,
    http: HttpSettings,
    version: str = "1.0.0",
    description: str = "",
    on_startup: Sequence[Callable[..., Any]] = (),
    on_shutdown: Sequence[Callable[..., Any]] = (),
    middleware: Sequence[Any] = (),
) -> Litestar:
    prometheus = PrometheusConfig(
        app_name=title.lower().replace(" ", "_"), group_path=True, exclude=["/metrics", "/health"]
    )

    async def close_container() -> None:
        await container.close()

    app = Litestar(
        route_handlers=[HealthController, MetricsController, docs_assets_router(), *route_handlers],
        exception_handlers=exception_handlers,
        middleware=[request_context_middleware, prometheus.middleware, *middleware],
        openapi_config=OpenAPIConfig(
            title=title,
            version=version,
            description=description,
            path="/schema",
            render_plugins=render_plugins(),
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
                }
            ),
        ),
        request_max_body_size=http.max_body_bytes,
        request_class=BoundedJsonRequest,
        on_startup=[complete_openapi_on_startup, *on_startup],
        before_send=[correct_allow_header, security_headers],
        cors_config=cors_config(http),
        on_shutdown=[*on_shutdown, close_container],
        # Problem handlers log what matters once, as JSON; no framework tracebacks on 4xx.
        logging_config=LoggingConfig(log_exceptions="never"),
        debug=http.debug,
        plugins=tracing_plugins(),
    )
    setup_dishka(container, app)
    return app
