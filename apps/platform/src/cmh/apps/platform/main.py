"""`make run`: the embedded platform on http://127.0.0.1:8000 (PORT overrides)."""

from __future__ import annotations

import uvicorn

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import load_platform_settings
from cmh.kernel.logging import configure_logging


def main() -> None:
    settings = load_platform_settings()
    configure_logging(settings.log_level)
    app = create_app(settings)
    base = f"http://{settings.http.host}:{settings.http.port}"
    print(
        f"==> CloudMastersHub embedded platform on {base}  (docs: {base}/schema, Ctrl-C stops)",
        flush=True,
    )
    uvicorn.run(
        app,
        host=settings.http.host,
        port=settings.http.port,
        log_level="warning",
        lifespan="on",
        server_header=False,
    )


if __name__ == "__main__":
    main()
