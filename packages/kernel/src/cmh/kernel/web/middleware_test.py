from __future__ import annotations

import re

import pytest
import structlog
from dishka import make_async_container
from litestar import get
from litestar.exceptions import NotFoundException
from litestar.testing import AsyncTestClient
from structlog.testing import capture_logs

from cmh.kernel.context import outgoing_headers
from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.middleware import set_response_headers


@get("/echo")
async def echo() -> dict[str, str]:
    return outgoing_headers()


@get("/missing")
async def missing() -> None:
    raise NotFoundException("no such thing")


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


@pytest.mark.parametrize(
    "sent",
    ["a" * 129, "<script>alert(1)</script>", "id with spaces", "caf\u00e9", "a;b=c", ""],
)
async def test_a_malformed_request_or_correlation_id_is_replaced(sent: str) -> None:
    app = create_http_app(
        container=make_async_container(), route_handlers=[echo], title="t", http=HttpSettings()
    )
    async with AsyncTestClient(app) as client:
        raw = sent.encode("latin-1", "replace")
        answer = await client.get(
            "/echo", headers=[(b"x-request-id", raw), (b"x-correlation-id", raw)]
        )
        minted = answer.headers["x-request-id"]
        assert minted != sent
        assert re.fullmatch(r"[0-9a-f]{32}", minted)
        # A correlation id of the caller's that is not well-formed starts a new one too.
        assert answer.headers["x-correlation-id"] == minted
        assert answer.json()["x-request-id"] == minted


async def test_well_formed_ids_are_kept_and_a_bad_traceparent_dropped() -> None:
    app = create_http_app(
        container=make_async_container(), route_handlers=[echo], title="t", http=HttpSettings()
    )
    async with AsyncTestClient(app) as client:
        kept = "req-01:abc.DEF_9" + "x" * 112  # 128 characters
        answer = await client.get(
            "/echo",
            headers={"x-request-id": kept, "x-correlation-id": "c-1", "traceparent": "00-zz"},
        )
        assert answer.headers["x-request-id"] == kept
        assert answer.headers["x-correlation-id"] == "c-1"
        assert "traceparent" not in answer.headers
        assert "traceparent" not in answer.json()


def test_response_headers_are_set_once_whatever_the_case_they_came_in() -> None:
    message: dict[str, object] = {
        "type": "http.response.start",
        "headers": [(b"X-Request-Id", b"upstream"), (b"content-type", b"application/json")],
    }
    set_response_headers(message, [(b"x-request-id", b"ours"), (b"x-correlation-id", b"c")])  # type: ignore[arg-type]
    assert message["headers"] == [
        (b"content-type", b"application/json"),
        (b"x-request-id", b"ours"),
        (b"x-correlation-id", b"c"),
    ]


async def test_each_request_served_leaves_one_line_under_its_request_id() -> None:
    app = create_http_app(
        container=make_async_container(),
        route_handlers=[echo, missing],
        title="t",
        http=HttpSettings(),
    )
    async with AsyncTestClient(app) as client:
        with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
            await client.get("/echo", headers={"x-request-id": "req-logged"})
            await client.get("/missing", headers={"x-request-id": "req-missing"})
            await client.get("/health/live")
    served = [line for line in logs if line["event"] == "http.request"]
    assert [(line["url_path"], line["http_status"]) for line in served] == [
        ("/echo", 200),
        ("/missing", 404),
    ]
    first = served[0]
    assert first["request_id"] == "req-logged"
    assert first["http_method"] == "GET"
    assert first["duration_ms"] >= 0
