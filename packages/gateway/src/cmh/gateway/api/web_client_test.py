"""The gateway serves the built web client at `/` (the distributed profile's same origin):
its pages for client routes, and the API still proxied and guarded beside it."""

from __future__ import annotations

from pathlib import Path

from cmh_testing.gateway.world import running_world


async def test_the_client_beside_the_proxied_api(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>client</title>")
    (tmp_path / "assets" / "app-1a2b.js").write_text("export {}")
    async with running_world(web_client_dir=str(tmp_path)) as world:
        page = await world.client.get("/courses/c-1/lessons/l-1")
        asset = await world.client.get("/assets/app-1a2b.js")
        guarded = await world.client.get("/api/v1/users/me")
        unknown = await world.client.get("/graphql/nothing")
    assert page.status_code == 200
    assert "<title>client</title>" in page.text
    assert "immutable" in asset.headers["cache-control"]
    assert guarded.status_code == 401  # the API is proxied and its token check still applies
    assert unknown.headers["content-type"] == "application/problem+json"


async def test_no_client_without_a_directory() -> None:
    async with running_world() as world:
        answer = await world.client.get("/courses")
    assert answer.status_code == 404
