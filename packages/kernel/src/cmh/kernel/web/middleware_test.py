from __future__ import annotations

from dishka import make_async_container
from litestar import get
from litestar.testing import AsyncTestClient

from cmh.kernel.context import outgoing_headers
from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.app import create_http_app


@get("/echo")
async def echo() -> dict[str, str]:
    return outgoing_headers()


async def test_calls_made_during_a_request_carry_the_callers_token_and_ids() -> None:
    app = create_http_app(
        container=make_async_container(), route_handlers=[echo], title="t", http=HttpSettings()
    )
    async with AsyncTestClient(app) as client:
        response = await client.get(
            "/echo",
            headers={
                "authorization": "Bearer abc",
                "x-correlation-id": "corr-1",
                "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            },
        )
        relayed = response.json()
        assert relayed["authorization"] == "Bearer abc"
        assert relayed["x-correlation-id"] == "corr-1"
        assert relayed["x-request-id"] == response.headers["x-request-id"]
        assert relayed["traceparent"].startswith("00-0af7")
        # Nothing leaks into the next request.
        assert "authorization" not in (await client.get("/echo")).json()
