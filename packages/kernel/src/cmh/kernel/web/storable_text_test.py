"""A body holding U+0000 anywhere is a 422 naming the field, before any handler runs."""

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
from cmh.kernel.web.storable_text import nul_path


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("plain", None),
        ("a\x00b", "$"),
        ({"name": "x", "tags": ["a", "b\x00"]}, "$.tags[1]"),
        ({"profile": {"bio": "\x00"}}, "$.profile.bio"),
        ({"ke\x00y": "v"}, "$.key"),
        ([1, 2.5, None, True, {"a": ["\\u0000"]}], None),  # the six characters, not a NUL
    ],
)
def test_the_first_text_holding_nul_is_named(value: Any, path: str | None) -> None:
    assert nul_path(value) == path


class Launch(msgspec.Struct):
    template_id: str
    region: str | None = None


received: list[Launch] = []


@post("/launches", status_code=202)
async def launch(data: JSONBody[Launch]) -> None:
    received.append(data)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"template_id": "t\\u0000x"}', "template_id"),
        (b'{"template_id": "t", "region": "\\u0000"}', "region"),
    ],
)
async def test_a_nul_in_a_body_is_422_naming_the_field(body: bytes, field: str) -> None:
    received.clear()
    app = create_http_app(
        container=make_async_container(), route_handlers=[launch], title="t", http=HttpSettings()
    )
    async with AsyncTestClient(app) as client:
        answer = await client.post(
            "/launches", content=body, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        assert problem["code"] == "validation_failed"
        assert problem["errors"][0]["field"] == field
        assert received == []  # the handler never ran
        plain = await client.post("/launches", json={"template_id": "\\u0000 as text"})
        assert plain.status_code == 202
        assert received == [Launch(template_id="\\u0000 as text")]
