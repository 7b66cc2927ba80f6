"""``/schema``: the aggregated OpenAPI document of all services and a docs UI over it."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import MediaType, Request, get
from litestar.openapi.plugins import ScalarRenderPlugin

from cmh.gateway.application.aggregate_openapi import AggregateOpenApi
from cmh.gateway.application.views import OpenApiDocument
from cmh.kernel.web.docs import scalar_plugin

OPENAPI_PATH = "/schema/openapi.json"


class AggregatedScalar(ScalarRenderPlugin):
    @staticmethod
    def get_openapi_json_route(request: Request[Any, Any, Any]) -> str:
        return OPENAPI_PATH


@get(OPENAPI_PATH, include_in_schema=False, name="aggregated_openapi", cache_control=None)
@inject
async def aggregated_openapi(aggregate: FromDishka[AggregateOpenApi]) -> OpenApiDocument:
    return await aggregate.execute()


@get("/schema", include_in_schema=False, media_type=MediaType.HTML, name="docs_ui")
async def docs_ui(request: Request[Any, Any, Any]) -> bytes:
    # Its script and styles from this gateway's /schema/assets, never a CDN.
    page = scalar_plugin(AggregatedScalar)
    return page.render(request, {"info": {"title": "CloudMastersHub API"}})


DOCS_ROUTES = [aggregated_openapi, docs_ui]
