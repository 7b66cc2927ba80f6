from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import msgspec
import pytest
import respx
import stamina

from cmh.contracts.http.content import (
    AssetResponse,
    PlaybackResponse,
    RenditionResponse,
    SignedCaptionResponse,
)
from cmh.contracts.http.users import EntitlementsResponse
from cmh.courses.adapters.http.content_media import HttpMediaLibrary
from cmh.courses.adapters.http.content_playback import HttpPlayback
from cmh.courses.adapters.http.resilient import ResilientJsonClient
from cmh.courses.adapters.http.users_entitlements import HttpEntitlements
from cmh.courses.settings import ServiceClientSettings
from cmh.kernel import context
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import DependencyUnavailable, NotFound

USERS = "http://users.test"
CONTENT = "http://content.test"
SETTINGS = ServiceClientSettings(
    users_url=USERS,
    content_url=CONTENT,
    timeout_seconds=0.5,
    attempts=3,
    breaker_threshold=2,
    breaker_ttl_seconds=60,
)
# The answers are the contracts' Structs as the services encode them: the clients read
# exactly what users and content write.
ENTITLEMENTS = msgspec.to_builtins(
    EntitlementsResponse(
        user_id="u-1",
        tier="pro",
        roles=["learner"],
        course_levels=["beginner", "intermediate", "advanced"],
        lab_hours_per_month=20,
        active=True,
    )
)


@pytest.fixture(autouse=True)
def no_backoff() -> Iterator[None]:
    stamina.set_testing(True, attempts=3)
    yield
    stamina.set_testing(False)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def entitlements(http: httpx.AsyncClient) -> HttpEntitlements:
    return HttpEntitlements(ResilientJsonClient(http, service="users", settings=SETTINGS), USERS)


@respx.mock
async def test_entitlements_are_read_from_users(http: httpx.AsyncClient) -> None:
    respx.get(f"{USERS}/internal/v1/users/u-1/entitlements").respond(json=ENTITLEMENTS)
    rights = await entitlements(http).of("u-1")
    assert (rights.tier, rights.active, "advanced" in rights.course_levels) == ("pro", True, True)


@respx.mock
async def test_an_unknown_user_is_not_found(http: httpx.AsyncClient) -> None:
    respx.get(f"{USERS}/internal/v1/users/ghost/entitlements").respond(
        404, json={"code": "not_found"}
    )
    with pytest.raises(NotFound):
        await entitlements(http).of("ghost")


@respx.mock
async def test_a_timeout_is_retried_then_succeeds(http: httpx.AsyncClient) -> None:
    route = respx.get(f"{USERS}/internal/v1/users/u-1/entitlements").mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            httpx.Response(503),
            httpx.Response(200, json=ENTITLEMENTS),
        ]
    )
    assert (await entitlements(http).of("u-1")).tier == "pro"
    assert route.call_count == 3


@respx.mock
async def test_exhausted_retries_then_an_open_circuit_are_dependency_unavailable(
    http: httpx.AsyncClient,
) -> None:
    route = respx.get(f"{USERS}/internal/v1/users/u-1/entitlements").mock(
        side_effect=httpx.ReadTimeout("slow")
    )
    client = entitlements(http)
    for _ in range(2):  # the breaker's threshold
        with pytest.raises(DependencyUnavailable):
            await client.of("u-1")
    assert route.call_count == 6
    with pytest.raises(DependencyUnavailable) as raised:
        await client.of("u-1")
    assert "circuit open" in raised.value.detail
    assert route.call_count == 6  # failed fast, nothing sent


@respx.mock
async def test_an_unreadable_answer_is_dependency_unavailable(http: httpx.AsyncClient) -> None:
    respx.get(f"{USERS}/internal/v1/users/u-1/entitlements").respond(json={"tier": 3})
    with pytest.raises(DependencyUnavailable):
        await entitlements(http).of("u-1")


@respx.mock
async def test_entitlements_outside_the_contract_are_refused(http: httpx.AsyncClient) -> None:
    # A tier the contract does not name would let a learner in under an unknown level.
    respx.get(f"{USERS}/internal/v1/users/u-1/entitlements").respond(
        json={**ENTITLEMENTS, "tier": "platinum"}
    )
    with pytest.raises(DependencyUnavailable, match="tier"):
        await entitlements(http).of("u-1")


def content(http: httpx.AsyncClient) -> ResilientJsonClient:
    return ResilientJsonClient(http, service="content", settings=SETTINGS)


RENDITION = RenditionResponse(
    name="720p", transcoded=True, bitrate_kbps=2500, width=1280, height=720
)
PLAYBACK = msgspec.to_builtins(
    PlaybackResponse(
        url="https://cdn.test/a-1?sig=x",
        expires_at=datetime(2026, 1, 1, 12, 15, tzinfo=UTC),
        rendition=RENDITION,
        captions=[SignedCaptionResponse(language="en", url="https://cdn.test/a-1.vtt?sig=y")],
        media_cache_control="public, max-age=31536000, immutable",
    )
)


@respx.mock
async def test_playback_urls_come_from_content(http: httpx.AsyncClient) -> None:
    route = respx.get(
        f"{CONTENT}/internal/v1/content/assets/a-1/playback",
        params={"user_id": "u-1", "course_id": "c-1"},
    ).respond(json=PLAYBACK)
    answer = await HttpPlayback(content(http), CONTENT).url_for("a-1", "u-1", "c-1")
    assert answer.url.endswith("sig=x")
    assert answer.expires_at.tzinfo is not None
    assert route.called


@respx.mock
async def test_playback_of_an_asset_not_attached_to_the_course_is_not_found(
    http: httpx.AsyncClient,
) -> None:
    respx.get(f"{CONTENT}/internal/v1/content/assets/a-1/playback").respond(
        404, json={"code": "asset_not_found"}
    )
    with pytest.raises(NotFound):
        await HttpPlayback(content(http), CONTENT).url_for("a-1", "u-1", "c-2")


ATTACHED = msgspec.to_builtins(
    AssetResponse(
        id="a-1",
        owner_id="inst-1",
        kind="video",
        filename="intro.mp4",
        content_type="video/mp4",
        size_bytes=1024,
        status="ready",
        failure_reason=None,
        renditions=[RENDITION],
        caption_languages=["en"],
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
)
INSTRUCTOR = Principal(user_id="inst-1", roles=frozenset({"instructor"}))


@respx.mock
async def test_attaching_puts_with_the_callers_token(http: httpx.AsyncClient) -> None:
    route = respx.put(f"{CONTENT}/internal/v1/content/assets/a-1/courses/c-1").respond(
        json=ATTACHED
    )
    token = context.authorization.set("Bearer instructor-token")
    try:
        attached = await HttpMediaLibrary(content(http), CONTENT).attach(INSTRUCTOR, "a-1", "c-1")
    finally:
        context.authorization.reset(token)
    assert (attached.id, attached.kind, attached.status) == ("a-1", "video", "ready")
    assert route.calls.last.request.headers["authorization"] == "Bearer instructor-token"


@respx.mock
async def test_an_answer_missing_contract_fields_is_dependency_unavailable(
    http: httpx.AsyncClient,
) -> None:
    # Content answers the whole asset contract; a body without it is not content's.
    respx.put(f"{CONTENT}/internal/v1/content/assets/a-1/courses/c-1").respond(
        json={"id": "a-1", "kind": "video", "status": "ready"}
    )
    with pytest.raises(DependencyUnavailable, match="owner_id"):
        await HttpMediaLibrary(content(http), CONTENT).attach(INSTRUCTOR, "a-1", "c-1")


@respx.mock
async def test_someone_elses_asset_is_not_found(http: httpx.AsyncClient) -> None:
    respx.put(f"{CONTENT}/internal/v1/content/assets/a-2/courses/c-1").respond(
        404, json={"code": "asset_not_found"}
    )
    with pytest.raises(NotFound):
        await HttpMediaLibrary(content(http), CONTENT).attach(INSTRUCTOR, "a-2", "c-1")


@respx.mock
async def test_ids_stay_one_path_segment(http: httpx.AsyncClient) -> None:
    route = respx.put(url__startswith=f"{CONTENT}/internal/v1/content/assets/").respond(
        json=ATTACHED
    )
    await HttpMediaLibrary(content(http), CONTENT).attach(INSTRUCTOR, "../../users/x?y", "c/1")
    assert route.calls.last.request.url.raw_path == (
        b"/internal/v1/content/assets/%2E%2E%2F%2E%2E%2Fusers%2Fx%3Fy/courses/c%2F1"
    )
