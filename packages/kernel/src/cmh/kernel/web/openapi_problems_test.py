"""The OpenAPI document lists the problem statuses each operation's shape implies, as
application/problem+json, and request bodies are documented by msgspec itself."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Litestar, get, post
from litestar.params import FromPath, JSONBody
from litestar.testing import AsyncTestClient

from cmh.kernel.web.openapi_problems import complete_openapi_on_startup, problem_responses
from cmh.kernel.web.storable_text import NUL_FREE_PATTERN

Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=20)]


class ThingCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1)]
    tags: Annotated[list[Tag], msgspec.Meta(max_length=3)] = []
    code: Annotated[str, msgspec.Meta(pattern="^[a-z]+$")] = "a"
    labels: dict[str, str] = {}
    kind: Literal["a", "b"] = "a"


class Things(Controller):
    path = "/api/v1/things"

    @post("", security=[{"BearerToken": []}], responses=problem_responses(403, 409))
    async def create(self, data: JSONBody[ThingCreate]) -> dict[str, str]:
        return {"name": data.name}

    @get("/{thing_id:str}", security=[{}])
    async def read(self, thing_id: FromPath[str]) -> dict[str, str]:
        return {"id": thing_id}

    @post("/{thing_id:str}/archive", status_code=202)
    async def archive(self, thing_id: FromPath[str]) -> None:
        return None


async def document() -> dict[str, Any]:
    app = Litestar([Things], on_startup=[complete_openapi_on_startup])
    async with AsyncTestClient(app) as client:
        return (await client.get("/schema/openapi.json")).json()  # type: ignore[no-any-return]


async def test_statuses_follow_from_the_shape_and_the_handler() -> None:
    paths = (await document())["paths"]
    create = paths["/api/v1/things"]["post"]["responses"]
    read = paths["/api/v1/things/{thing_id}"]["get"]["responses"]
    assert set(create) == {"201", "400", "401", "403", "409", "413", "422", "429", "503"}
    assert set(read) == {"200", "404", "422", "429", "503"}
    for status in ("400", "401", "403", "409", "413", "422", "429", "503"):
        assert set(create[status]["content"]) == {"application/problem+json"}
        schema = create[status]["content"]["application/problem+json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Problem"}


async def test_a_bodiless_202_declares_no_content() -> None:
    archive = (await document())["paths"]["/api/v1/things/{thing_id}/archive"]["post"]
    assert "content" not in archive["responses"]["202"]


async def test_request_schemas_say_what_the_decoder_rejects() -> None:
    doc = await document()
    ref = doc["paths"]["/api/v1/things"]["post"]["requestBody"]["content"]["application/json"]
    body = doc["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert body["additionalProperties"] is False
    assert body["properties"]["name"]["minLength"] == 1
    assert body["properties"]["tags"]["items"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 20,
        "pattern": NUL_FREE_PATTERN,
    }
    problem = doc["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code", "instance"} <= set(problem["required"])


async def test_every_plain_string_a_request_carries_says_no_nul() -> None:
    doc = await document()
    ref = doc["paths"]["/api/v1/things"]["post"]["requestBody"]["content"]["application/json"]
    body = doc["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[-1]]
    fields = body["properties"]
    assert fields["name"]["pattern"] == NUL_FREE_PATTERN
    assert fields["code"]["pattern"] == "^[a-z]+$"  # its own pattern already excludes it
    assert "pattern" not in fields["kind"]
    assert fields["labels"]["additionalProperties"]["pattern"] == NUL_FREE_PATTERN
    assert fields["labels"]["propertyNames"] == {"pattern": NUL_FREE_PATTERN}
    (thing_id,) = doc["paths"]["/api/v1/things/{thing_id}"]["get"]["parameters"]
    assert thing_id["schema"]["pattern"] == NUL_FREE_PATTERN
