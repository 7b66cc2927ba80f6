"""The embedded platform's OpenAPI document is one clients can code against."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from cmh.kernel.web.openapi_request_bodies import request_bodies


async def test_every_request_body_rejects_unknown_fields(
    platform: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    bodies = request_bodies(platform.app)
    assert len(bodies) >= 15
    lenient = {
        f"{method.upper()} {path}: {struct.__qualname__}"
        for (path, method), struct in bodies.items()
        if not struct.__struct_config__.forbid_unknown_fields
    }
    assert not lenient, "request bodies must forbid unknown fields (the schema says so)"


async def test_every_error_status_is_a_documented_problem(
    platform: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    document = (await platform.get("/schema/openapi.json")).json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
            where = f"{method.upper()} {path}"
            if path.startswith("/api/"):
                assert "429" in errors, where
            for status, response in errors.items():
                assert list(response["content"]) == ["application/problem+json"], (where, status)
