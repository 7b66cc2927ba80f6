"""The web client at `/`: its pages for client routes, its hashed assets cached for good,
and never a page where the app's own routes (or their prefixes) answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Request, get
from litestar.testing import TestClient

from cmh.kernel.web.problems import exception_handlers
from cmh.kernel.web.web_client import web_client_routes


@get("/api/v1/things")
async def things() -> dict[str, str]:
    return {"kind": "api"}


@get("/media/{key:str}")
async def media(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"key": request.path_params["key"]}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>client</title>")
    (tmp_path / "assets" / "index-Ab12.js").write_text("console.log(1)")
    (tmp_path / "robots.txt").write_text("User-agent: *")
    return tmp_path


@pytest.fixture
def client(dist: Path) -> TestClient[Litestar]:
    app = Litestar(
        route_handlers=[things, media, *web_client_routes(dist)],
        exception_handlers=exception_handlers,
        openapi_config=None,
    )
    return TestClient(app)


@pytest.mark.parametrize("path", ["/", "/courses/c-1/lessons/l-2", "/billing", "/verify-email"])
def test_client_routes_answer_the_page_revalidated_each_load(
    client: TestClient[Litestar], path: str
) -> None:
    with client:
        answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "<title>client</title>" in answer.text
    assert answer.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_cached_for_good(client: TestClient[Litestar]) -> None:
    with client:
        answer = client.get("/assets/index-Ab12.js")
        missing = client.get("/assets/index-Zz99.js")
    assert answer.status_code == 200
    assert "immutable" in answer.headers["cache-control"]
    assert missing.status_code == 404


def test_top_level_files_are_served(client: TestClient[Litestar]) -> None:
    with client:
        assert client.get("/robots.txt").text == "User-agent: *"
        assert client.get("/favicon.ico").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api", "/media/a/b", "/schema/x", "/health/x", "/internal/x"]
)
def test_the_apps_own_prefixes_stay_problems(client: TestClient[Litestar], path: str) -> None:
    with client:
        answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_the_apps_routes_win_and_other_methods_are_not_pages(
    client: TestClient[Litestar],
) -> None:
    with client:
        assert client.get("/api/v1/things").json() == {"kind": "api"}
        assert client.get("/media/k").json() == {"key": "k"}
        assert client.post("/courses").status_code == 404
        assert client.delete("/api/v1/things").status_code == 405


def test_no_routes_without_a_build(tmp_path: Path) -> None:
    assert web_client_routes(tmp_path / "missing") == []
