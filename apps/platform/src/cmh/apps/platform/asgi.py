"""ASGI factory for process managers: `uvicorn --factory cmh.apps.platform.asgi:app`."""

from __future__ import annotations

from litestar import Litestar

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import load_platform_settings
from cmh.kernel.logging import configure_logging


def app() -> Litestar:
    settings = load_platform_settings()
    configure_logging(settings.log_level)
    return create_app(settings)
