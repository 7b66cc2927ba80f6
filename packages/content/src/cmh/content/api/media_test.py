"""The embedded profile's signed media route: serve, refuse, upload."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from litestar.testing import AsyncTestClient

from cmh_testing.content import ContentTestHarness, build_content_test_app

KEY = "assets/a1/renditions/original/lesson.vtt"
BODY = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n"


@pytest.fixture
async def media(tmp_path: Path) -> AsyncIterator[tuple[AsyncTestClient, ContentTestHarness]]:  # type: ignore[type-arg]
    app, harness = build_content_test_app(media_dir=tmp_path)
    await harness.storage.put_bytes(KEY, BODY, content_type="text/vtt")
    async with AsyncTestClient(app) as client:
        yield client, harness


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_a_valid_url_serves_the_bytes_with_cache_headers(media) -> None:  # type: ignore[no-untyped-def]
    client, h = media
    url = h.signer.sign(KEY, expires_at=h.clock.now() + timedelta(minutes=5))
    answer = await client.get(_path(url))
    assert answer.status_code == 200
    assert answer.content == BODY
    assert answer.headers["cache-control"] == "private, max-age=300"
    assert answer.headers["accept-ranges"] == "bytes"


async def test_range_requests_get_a_partial_answer(media) -> None:  # type: ignore[no-untyped-def]
    client, h = media
    url = h.signer.sign(KEY, expires_at=h.clock.now() + timedelta(minutes=5))
    answer = await client.get(_path(url), headers={"Range": "bytes=0-5"})
    assert answer.status_code == 206
    assert answer.content == BODY[:6]
    assert answer.headers["content-range"] == f"bytes 0-5/{len(BODY)}"
    beyond = await client.get(_path(url), headers={"Range": "bytes=9999-"})
    assert beyond.status_code == 416


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p.replace("lesson.vtt", "other.vtt"),
        lambda p: p.replace("expires=", "expires=1"),
        lambda p: p[:-3] + ("000" if not p.endswith("000") else "111"),
        lambda p: p.split("?")[0],
    ],
)
async def test_tampered_urls_are_403(media, tamper) -> None:  # type: ignore[no-untyped-def]
    client, h = media
    url = h.signer.sign(KEY, expires_at=h.clock.now() + timedelta(minutes=5))
    answer = await client.get(tamper(_path(url)))
    assert answer.status_code == 403
    assert answer.json()["code"] == "media_signature_invalid"


async def test_expired_urls_are_403(media) -> None:  # type: ignore[no-untyped-def]
    client, h = media
    url = h.signer.sign(KEY, expires_at=h.clock.now() + timedelta(minutes=5))
    h.clock.advance(timedelta(minutes=5, seconds=1))
    answer = await client.get(_path(url))
    assert answer.status_code == 403
    assert answer.json()["code"] == "media_url_expired"


async def test_a_download_url_cannot_upload(media) -> None:  # type: ignore[no-untyped-def]
    client, h = media
    url = h.signer.sign(KEY, expires_at=h.clock.now() + timedelta(minutes=5))
    answer = await client.put(_path(url), content=b"evil")
    assert answer.status_code == 403
    stored = await h.storage.head(KEY)
    assert stored is not None
    assert stored.size_bytes == len(BODY)


async def test_register_upload_confirm_through_the_local_route(media) -> None:  # type: ignore[no-untyped-def]
    client, h = media
    auth = h.auth("inst-1", "instructor")
    registered = await client.post(
        "/api/v1/content/assets",
        headers=auth,
        json={
            "filename": "poster.png",
            "content_type": "image/png",
            "size_bytes": 4,
            "kind": "image",
        },
    )
    upload = registered.json()["upload"]
    put = await client.put(_path(upload["url"]), content=b"\x89PNG", headers=upload["headers"])
    assert put.status_code == 204
    asset_id = registered.json()["asset"]["id"]
    confirmed = await client.post(f"/api/v1/content/assets/{asset_id}/uploaded", headers=auth)
    assert confirmed.json()["status"] == "uploaded"


async def test_a_transcoded_mp4_rendition_is_served_with_ranges(tmp_path: Path) -> None:
    import io

    import av

    from cmh.content.adapters.pyav.transcoder import PyAvTranscoder
    from cmh.content.domain.asset import Asset, AssetKind
    from cmh_testing.content import tiny_video

    app, h = build_content_test_app(media_dir=tmp_path, real_transcoder=True)
    clip = tiny_video()
    asset = Asset.register(
        asset_id="a-mp4",
        owner_id="inst-1",
        kind=AssetKind.VIDEO,
        filename="lesson.mp4",
        content_type="video/mp4",
        size_bytes=len(clip),
        now=h.clock.now(),
    )
    await h.storage.put_bytes(asset.source_key, clip, content_type="video/mp4")
    assert isinstance(h.transcoder, PyAvTranscoder)
    [rendition] = (await h.transcoder.transcode(asset)).renditions
    whole = await h.storage.get_bytes(rendition.key)
    assert whole is not None
    url = _path(h.signer.sign(rendition.key, expires_at=h.clock.now() + timedelta(minutes=5)))

    async with AsyncTestClient(app) as client:
        first = await client.get(url, headers={"Range": "bytes=0-99"})
        full = await client.get(url)

    assert first.status_code == 206
    assert first.headers["content-type"] == "video/mp4"
    assert first.headers["content-range"] == f"bytes 0-99/{len(whole)}"
    assert first.content == whole[:100]
    assert first.content[4:8] == b"ftyp"
    assert full.status_code == 200
    assert full.headers["accept-ranges"] == "bytes"
    with av.open(io.BytesIO(full.content), mode="r") as played:
        frame = next(played.decode(video=0))
    assert (frame.width, frame.height) == (rendition.width, rendition.height) == (160, 90)


@pytest.mark.parametrize(
    "query",
    [
        "signature=%C3%A9",
        "expires=4102444800&signature=%E2%82%AC%00",
        "expires=4102444800&signature=%ED%A0%80",  # a lone surrogate, as UTF-8 bytes
        "expires=99999999999999999999999999&signature=abc",
        "expires=-1&signature=",
        "expires=abc&signature=abc",
        "expires=%D9%A1&signature=abc",  # an Arabic-Indic digit
    ],
)
async def test_malformed_signatures_are_403_not_500(media, query) -> None:  # type: ignore[no-untyped-def]
    client, _ = media
    answer = await client.get(f"/media/{KEY}?{query}")
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "media_signature_invalid"
    upload = await client.put(f"/media/{KEY}?{query}", content=b"x")
    assert upload.status_code == 403
