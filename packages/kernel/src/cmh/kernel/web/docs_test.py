"""The docs pages load nothing from another site: their scripts and styles are the app's."""

from __future__ import annotations

import re

from dishka import make_async_container
from litestar.testing import AsyncTestClient

from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.app import create_http_app

_EXTERNAL = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


async def test_the_docs_pages_reference_only_local_assets_and_those_are_served() -> None:
    app = create_http_app(
        container=make_async_container(), route_handlers=[], title="t", http=HttpSettings()
    )
    async with AsyncTestClient(app) as client:
        for page in ("/schema", "/schema/swagger"):
            html = (await client.get(page)).text
            assert not _EXTERNAL.search(html), f"{page} loads from another site"
            assets = re.findall(r"""(?:src|href)=["']?(/schema/assets/[^"' >]+)""", html)
            assert assets, page
            for asset in assets:
                served = await client.get(asset)
                # Missing: run `make docs-assets` (build-support/docs-assets/fetch.sh).
                assert served.status_code == 200, asset
                assert served.content
                assert "max-age" in served.headers["cache-control"]
