"""The content HTTP API on memory adapters: authorization, validation, playback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from cmh_testing.content import ContentTestHarness, build_content_test_app

ASSETS = "/api/v1/content/assets"
VIDEO = {"filename": "intro.mp4", "content_type": "video/mp4", "size_bytes": 2048, "kind": "video"}


@pytest.fixture
async def api() -> AsyncIterator[tuple[AsyncTestClient, ContentTestHarness]]:  # type: ignore[type-arg]
    app, harness = build_content_test_app()
    async with AsyncTestClient(app) as client:
        yield client, harness


async def _registered(client: AsyncTestClient, h: ContentTestHarness) -> str:  # type: ignore[type-arg]
    answer = await client.post(ASSETS, json=VIDEO, headers=h.auth("inst-1", "instructor"))
    assert answer.status_code == 201, answer.text
    return str(answer.json()["asset"]["id"])


async def test_instructor_registers_and_gets_an_upload(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    answer = await client.post(ASSETS, json=VIDEO, headers=h.auth("inst-1", "instructor"))
    assert answer.status_code == 201
    body = answer.json()
    assert body["asset"]["status"] == "created"
    assert body["asset"]["owner_id"] == "inst-1"
    assert body["upload"]["method"] == "PUT"
    assert body["upload"]["headers"] == {"Content-Type": "video/mp4"}


async def test_no_token_is_401(api) -> None:  # type: ignore[no-untyped-def]
    client, _ = api
    answer = await client.post(ASSETS, json=VIDEO)
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_a_learner_cannot_register(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    answer = await client.post(ASSETS, json=VIDEO, headers=h.auth("l-1", "learner"))
    assert answer.status_code == 403
    assert answer.json()["code"] == "instructor_required"


async def test_a_learner_is_refused_before_the_body_is_validated(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    invalid = {**VIDEO, "size_bytes": "big", "unknown_field": True}
    answer = await client.post(ASSETS, json=invalid, headers=h.auth("l-1", "learner"))
    assert (answer.status_code, answer.json()["code"]) == (403, "instructor_required")
    assert "unknown_field" not in answer.text
    from_instructor = await client.post(ASSETS, json=invalid, headers=h.auth("i-1", "instructor"))
    assert from_instructor.status_code == 422


async def test_another_instructor_cannot_read_your_asset(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    asset_id = await _registered(client, h)
    mine = await client.get(f"{ASSETS}/{asset_id}", headers=h.auth("inst-1", "instructor"))
    theirs = await client.get(f"{ASSETS}/{asset_id}", headers=h.auth("inst-2", "instructor"))
    admin = await client.get(f"{ASSETS}/{asset_id}", headers=h.auth("adm", "admin"))
    assert (mine.status_code, theirs.status_code, admin.status_code) == (200, 404, 200)


async def test_malformed_json_is_400(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    answer = await client.post(
        ASSETS,
        content=b'{"filename": ',
        headers={**h.auth("inst-1", "instructor"), "content-type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_wrong_types_are_422_naming_the_field(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    answer = await client.post(
        ASSETS, json={**VIDEO, "size_bytes": "big"}, headers=h.auth("inst-1", "instructor")
    )
    assert answer.status_code == 422
    assert "size_bytes" in answer.json()["detail"]


async def test_oversize_is_422(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    huge = await client.post(
        ASSETS, json={**VIDEO, "size_bytes": 10**13}, headers=h.auth("inst-1", "instructor")
    )
    assert huge.status_code == 422
    assert "size_bytes" in huge.json()["detail"]
    # Within the global limit but above this kind's: the domain rule names the field too.
    caption = {
        "filename": "en.vtt",
        "content_type": "text/vtt",
        "size_bytes": 50 * 1024 * 1024,
        "kind": "caption",
    }
    too_big = await client.post(ASSETS, json=caption, headers=h.auth("inst-1", "instructor"))
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "size_bytes"


async def test_confirm_then_playback_only_when_ready(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    auth = h.auth("inst-1", "instructor")
    asset_id = await _registered(client, h)
    playback = f"/internal/v1/content/assets/{asset_id}/playback"
    attached = await client.put(
        f"/internal/v1/content/assets/{asset_id}/courses/course-1", headers=auth
    )
    assert attached.status_code == 200, attached.text
    for_course = {"user_id": "learner-1", "course_id": "course-1"}

    early = await client.post(f"{ASSETS}/{asset_id}/uploaded", headers=auth)
    assert (early.status_code, early.json()["code"]) == (409, "upload_missing")

    asset = await h.assets.get(asset_id)
    assert asset is not None
    await h.storage.put_bytes(asset.source_key, b"v" * 2000, content_type="video/mp4")
    confirmed = await client.post(f"{ASSETS}/{asset_id}/uploaded", headers=auth)
    assert (confirmed.status_code, confirmed.json()["status"]) == (202, "uploaded")

    not_ready = await client.get(playback, params=for_course)
    assert (not_ready.status_code, not_ready.json()["code"]) == (409, "asset_not_playable")

    async with h.container() as request:
        from cmh.content.application.process_asset import ProcessAsset

        await (await request.get(ProcessAsset)).execute(asset_id)
    ready = await client.get(playback, params=for_course)
    assert ready.status_code == 200
    assert ready.headers["cache-control"] == "no-store"
    body = ready.json()
    assert body["rendition"]["name"] == "1080p"
    assert "signature=" in body["url"]
    assert "expires=" in body["url"]
    assert body["media_cache_control"].startswith("public")


async def test_playback_needs_a_user_id(api) -> None:  # type: ignore[no-untyped-def]
    client, _ = api
    answer = await client.get("/internal/v1/content/assets/x/playback")
    assert answer.status_code in (400, 422)
    no_course = await client.get(
        "/internal/v1/content/assets/x/playback", params={"user_id": "learner-1"}
    )
    assert no_course.status_code in (400, 422)


async def test_playback_refused_for_ready_images(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    from cmh.content.demo_seed import seed_demo_media

    seeded = await seed_demo_media(
        h.assets, h.storage, h.uow, h.clock, owner_id="inst-1", transcoder=h.transcoder
    )
    image = seeded[0].id
    auth = h.auth("inst-1", "instructor")
    await client.put(f"/internal/v1/content/assets/{image}/courses/course-1", headers=auth)
    answer = await client.get(
        f"/internal/v1/content/assets/{image}/playback",
        params={"user_id": "learner-1", "course_id": "course-1"},
    )
    assert answer.status_code == 409


async def test_only_the_owner_or_an_admin_attaches_an_asset_to_a_course(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    asset_id = await _registered(client, h)  # created, not uploaded yet: private
    attach = f"/internal/v1/content/assets/{asset_id}/courses/rival-course"
    assert (await client.put(attach)).status_code == 401
    foreign = await client.put(attach, headers=h.auth("inst-2", "instructor"))
    assert (foreign.status_code, foreign.json()["code"]) == (404, "asset_not_found")
    owner = await client.put(attach, headers=h.auth("inst-1", "instructor"))
    assert (owner.status_code, owner.json()["kind"]) == (200, "video")
    admin = await client.put(
        f"/internal/v1/content/assets/{asset_id}/courses/other-course",
        headers=h.auth("adm", "admin"),
    )
    assert admin.status_code == 200
    asset = await h.assets.get(asset_id)
    assert asset is not None
    assert asset.attached_to == ("rival-course", "other-course")


async def test_playback_of_an_asset_not_attached_to_the_course_is_404(api) -> None:  # type: ignore[no-untyped-def]
    client, h = api
    from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS
    from cmh.content.demo_seed import seed_demo_media

    await seed_demo_media(
        h.assets, h.storage, h.uow, h.clock, owner_id="inst-1", transcoder=h.transcoder
    )
    video = DEMO_VIDEO_ASSET_IDS[0]
    answer = await client.get(
        f"/internal/v1/content/assets/{video}/playback",
        params={"user_id": "learner-1", "course_id": "borrowing-course"},
    )
    assert (answer.status_code, answer.json()["code"]) == (404, "asset_not_found")
