"""``python -m cmh.apps.platform.openapi_document FILE``: the embedded platform's OpenAPI
document (what the web client's typed API client is generated from, apps/web/build.sh)
written without starting the platform: the app is built and its document completed as
at startup; no database, server or seed is touched."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import msgspec

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings
from cmh.kernel.web.openapi_problems import complete_openapi_on_startup


def main(target: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="cmh-openapi-") as data_dir:
        app = create_app(
            PlatformSettings(data_dir=data_dir, seed_demo_data=False, web_client_dir="")
        )
        complete_openapi_on_startup(app)
        document = app.openapi_schema.to_schema()
    target.write_bytes(msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
