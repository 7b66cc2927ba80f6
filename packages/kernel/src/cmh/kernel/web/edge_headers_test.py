"""What every response of a kernel app carries: nosniff, no-store where it must, CORS."""

from __future__ import annotations

from typing import Any

import pytest
from dishka import make_async_container
from litestar import Litestar, Response, get
from litestar.testing import AsyncTestClient

from cmh.kernel.errors import Unauthenticated
from cmh.kernel.settings import HttpSettings, SettingsError, load_settings
from cmh.kernel.web.app import create_http_app

ORIGIN = "https://app.cloudmastershub.dev"


@get("/api/v1/me")
async def me() -> dict[str, str]:
    return {"email": "lena@example.com"}


@get("/api/v1/catalog")
async def catalog() -> Response[dict[str, str]]:
    return Response({"course": "aws"}, headers={"Cache-Control": "public, max-age=60"})


@get("/api/v1/locked")
async def locked() -> None:
    raise Unauthenticated("send a token", code="token_missing")


def app(**http: Any) -> Litestar:
    return create_http_app(
        container=make_async_container(),
        route_handlers=[me, catalog, locked],
        title="t",
        http=HttpSettings(**http),
    )


async def test_every_answer_says_nosniff_errors_and_unknown_routes_included() -> None:
    async with AsyncTestClient(app()) as client:
        for path in ("/api/v1/me", "/api/v1/locked", "/nowhere", "/health/live"):
            answer = await client.get(path)
            assert answer.headers["x-content-type-options"] == "nosniff", path


async def test_answers_to_a_request_with_credentials_are_never_stored() -> None:
    async with AsyncTestClient(app()) as client:
        bearer = {"authorization": "Bearer t"}
        for path in ("/api/v1/me", "/api/v1/catalog", "/api/v1/locked"):
            answer = await client.get(path, headers=bearer)
            assert answer.headers["cache-control"] == "no-store", path


async def test_an_anonymous_answer_keeps_its_own_caching_policy_or_gets_no_store() -> None:
    async with AsyncTestClient(app()) as client:
        assert (await client.get("/api/v1/catalog")).headers["cache-control"] == (
            "public, max-age=60"
        )
        assert (await client.get("/api/v1/me")).headers["cache-control"] == "no-store"


async def test_cors_allows_the_configured_origins_only() -> None:
    async with AsyncTestClient(app(cors_origins=f"{ORIGIN}, http://localhost:5173")) as client:
        preflight = await client.options(
            "/api/v1/me",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "GET",
                "access-control-request-headers": "authorization, x-request-id",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "GET" in preflight.headers["access-control-allow-methods"]
        assert "authorization" in preflight.headers["access-control-allow-headers"]
        simple = await client.get("/api/v1/me", headers={"origin": ORIGIN})
        assert simple.headers["access-control-allow-origin"] == ORIGIN
        assert "x-request-id" in simple.headers["access-control-expose-headers"]
        foreign = await client.options(
            "/api/v1/me",
            headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
        )
        assert foreign.status_code == 400
        assert "access-control-allow-origin" not in foreign.headers
        stranger = await client.get("/api/v1/me", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in stranger.headers


async def test_without_configured_origins_there_are_no_cors_headers() -> None:
    async with AsyncTestClient(app()) as client:
        answer = await client.get("/api/v1/me", headers={"origin": ORIGIN})
        assert "access-control-allow-origin" not in answer.headers


@pytest.mark.parametrize("value", ["app.example.com", "https://app.example.com/", "*", "ftp://x"])
def test_a_malformed_origin_names_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match="CMH_HTTP__CORS_ORIGINS"):
        load_settings(HttpSettings, {"CMH_CORS_ORIGINS": value}, prefix="CMH_")
