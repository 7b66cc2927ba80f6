"""OPTIONS lists every method of a path-typed resource, not only its first handler's."""

from __future__ import annotations

from litestar import Controller, Litestar, get, put
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from cmh.kernel.web.allow_header import correct_allow_header


class Files(Controller):
    path = "/files"

    @get("/{key:path}")
    async def download(self, key: FromPath[str]) -> str:
        return key

    @put("/{key:path}", status_code=204)
    async def upload(self, key: FromPath[str]) -> None:
        return None


async def test_allow_lists_every_method_of_the_resource() -> None:
    app = Litestar([Files], before_send=[correct_allow_header])
    async with AsyncTestClient(app) as client:
        answer = await client.options("/files/a/b.mp4")
    assert answer.status_code == 204
    assert answer.headers["allow"] == "GET, OPTIONS, PUT"
