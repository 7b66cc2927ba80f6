"""The gateway's Litestar app: the kernel's request ids, problem details, health, edge
headers (nosniff, no-store, CORS) and docs assets, with the admission policies in front
of the proxy, docs and GraphQL routes. ``/metrics`` is not served here: the public port
is the internet's; metrics have their own listener (``cmh.apps.gateway.main``).

Not the kernel's ``create_http_app``: ``/schema`` here shows every service's API, not
the gateway's own handlers.
"""

from __future__ import annotations

from dishka import AsyncContainer
from dishka.integrations.litestar import setup_dishka
from litestar import Litestar
from litestar.logging.config import LoggingConfig
from litestar.plugins.prometheus import PrometheusConfig

from cmh.gateway.adapters.discovery.watcher import UpstreamWatcher
from cmh.gateway.adapters.http.health_monitor import HealthMonitor
from cmh.gateway.api.docs import DOCS_ROUTES
from cmh.gateway.api.graphql import graphql_controller
from cmh.gateway.api.policies_middleware import container_policies_middleware
from cmh.gateway.api.problems import GATEWAY_EXCEPTION_HANDLERS
from cmh.gateway.api.proxy import PROXY_ROUTES
from cmh.gateway.api.websocket_proxy import WEBSOCKET_ROUTES
from cmh.gateway.settings import GatewaySettings
from cmh.kernel.settings import HttpSettings
from cmh.kernel.telemetry.web import tracing_plugins
from cmh.kernel.web.bounded_json import BoundedJsonRequest
from cmh.kernel.web.docs import docs_assets_router
from cmh.kernel.web.edge_headers import cors_config, security_headers
from cmh.kernel.web.health import HealthController
from cmh.kernel.web.middleware import request_context_middleware
from cmh.kernel.web.web_client import web_client_routes


def create_gateway_app(
    *, container: AsyncContainer, settings: GatewaySettings, http: HttpSettings
) -> Litestar:
    prometheus = PrometheusConfig(
        app_name="cmh_gateway", group_path=True, exclude=["/metrics", "/health"]
    )

    async def start_health_checks() -> None:
        await (await container.get(UpstreamWatcher)).start()
        await (await container.get(HealthMonitor)).start()

    async def stop() -> None:
        await (await container.get(HealthMonitor)).stop()
        await (await container.get(UpstreamWatcher)).stop()
        await container.close()

    app = Litestar(
        route_handlers=[
            HealthController,
            *PROXY_ROUTES,
            *WEBSOCKET_ROUTES,
            *DOCS_ROUTES,
            docs_assets_router(),
            graphql_controller(),
            # Last: its fallback page never answers a path routed above.
            *(web_client_routes(settings.web_client_dir) if settings.web_client_dir else []),
        ],
        exception_handlers=GATEWAY_EXCEPTION_HANDLERS,
        middleware=[
            request_context_middleware,
            prometheus.middleware,
            container_policies_middleware,
        ],
        openapi_config=None,
        request_max_body_size=settings.max_body_bytes,
        request_class=BoundedJsonRequest,
        cors_config=cors_config(http),
        before_send=[security_headers],
        on_startup=[start_health_checks],
        on_shutdown=[stop],
        logging_config=LoggingConfig(log_exceptions="never"),
        debug=http.debug,
        # Continues the caller's traceparent; httpx carries it on to the services.
        plugins=tracing_plugins(),
    )
    setup_dishka(container, app)
    return app
