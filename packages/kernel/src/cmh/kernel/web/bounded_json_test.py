from __future__ import annotations

from typing import Any

import msgspec
import pytest
from dishka import make_async_container
from litestar import post
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient

from cmh.kernel.settings import HttpSettings
from cmh.kernel.web.app import create_http_app
from cmh.kernel.web.bounded_json import MAX_JSON_DEPTH, nests_deeper_than


def nested(depth: int, open_: bytes = b"[", close: bytes = b"]") -> bytes:
    return open_ * depth + close * depth


@pytest.mark.parametrize(
    ("body", "deeper"),
    [
        (b'{"a": [1, 2, {"b": "c"}]}', False),
        (nested(MAX_JSON_DEPTH), False),
        (nested(MAX_JSON_DEPTH + 1), True),
        (b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1), True),
        (b"[" + b"[1],[2]," * 500 + b"[]]", False),  # many brackets, shallow
        (b'["' + b"[" * 500 + b'"]', False),  # brackets inside a string do not nest
        (b'["\\"' + b"[" * 500 + b'"]', False),  # nor after an escaped quote
        (b"[" * 100 + b'"unterminated \\"' * 100, True),
        (nested(1000), True),
        (b"", False),
    ],
)
def test_nesting_depth_is_measured_outside_strings(body: bytes, deeper: bool) -> None:
    assert nests_deeper_than(body) is deeper


class Payload(msgspec.Struct):
    name: str
    extra: Any = None


@post("/things", status_code=201)
async def create_thing(data: JSONBody[Payload]) -> dict[str, str]:
    return {"name": data.name}


@pytest.mark.parametrize(
    "body",
    [
        nested(1000),
        b'{"name": "x", "extra": ' + nested(1000) + b"}",
        b'{"name": "x", "extra": ' + nested(MAX_JSON_DEPTH + 1, b'{"a":', b"}") + b"}",
        b"[" * 100_000,
    ],
)
async def test_deeply_nested_bodies_are_400_malformed_body(body: bytes) -> None:
    app = create_http_app(
        container=make_async_container(),
        route_handlers=[create_thing],
        title="t",
        http=HttpSettings(),
    )
    async with AsyncTestClient(app) as client:
        answer = await client.post(
            "/things", content=body, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 400
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "malformed_body"
        ok = await client.post("/things", json={"name": "x", "extra": [[[[{"a": [1]}]]]]})
        assert ok.status_code == 201
