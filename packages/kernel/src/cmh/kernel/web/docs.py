"""The API docs pages (Scalar at ``/schema``, Swagger UI at ``/schema/swagger``) with
their JavaScript and CSS served by the app itself from ``/schema/assets``: Litestar's
render plugins would load them from a CDN, unpinned and without integrity checks.

The files come from the npm registry at pinned versions whose integrity is checked
(``build-support/docs-assets/fetch.sh``, run by ``make`` and the image builds) into
``docs_assets/`` beside this module; they are not kept in git.
"""

from __future__ import annotations

from pathlib import Path

import structlog
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin, ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

DOCS_ASSETS = Path(__file__).parent / "docs_assets"
ASSETS_PATH = "/schema/assets"
SCALAR_JS = f"{ASSETS_PATH}/scalar/standalone.js"
SCALAR_CSS = f"{ASSETS_PATH}/scalar/style.css"
# No favicon (Litestar's is on a CDN) and no web fonts: nothing comes from another site.
NO_FAVICON = ""
SCALAR_OPTIONS = {"withDefaultFonts": False}

log = structlog.get_logger("cmh.http")


def scalar_plugin(cls: type[ScalarRenderPlugin] = ScalarRenderPlugin) -> ScalarRenderPlugin:
    return cls(js_url=SCALAR_JS, css_url=SCALAR_CSS, options=SCALAR_OPTIONS, favicon=NO_FAVICON)


def render_plugins() -> list[OpenAPIRenderPlugin]:
    return [
        scalar_plugin(),
        SwaggerRenderPlugin(
            js_url=f"{ASSETS_PATH}/swagger/swagger-ui-bundle.js",
            css_url=f"{ASSETS_PATH}/swagger/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS_PATH}/swagger/swagger-ui-standalone-preset.js",
            favicon=NO_FAVICON,
        ),
    ]


def docs_assets_router() -> Router:
    if not (DOCS_ASSETS / "scalar" / "standalone.js").is_file():
        log.warning(
            "docs.assets_missing",
            detail="the API docs pages will not render: run build-support/docs-assets/fetch.sh",
        )
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[DOCS_ASSETS],
        name="docs_assets",
        # Pinned versions: a file under a name never changes until the pins do.
        cache_control=CacheControlHeader(public=True, max_age=86_400),
        include_in_schema=False,
    )
