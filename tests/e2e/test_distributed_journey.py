"""The journeys of the distributed profile, through the gateway only, as a frontend makes
them: every app is its own process (`make up-distributed`), events travel through Kafka.

Ordered on purpose: the rate-limit burst and the killed upstream come last.
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from cmh.content.demo_media import sample_video
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings
from cmh_testing.kernel.servers import server_url
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def new_learner(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"learner-{uuid.uuid4().hex[:10]}@example.org"
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": "a long journey 42", "display_name": "Journey"},
    )
    assert registered.status_code == 201, registered.text
    return await login(client, email, "a long journey 42")


async def admin(client: httpx.AsyncClient) -> dict[str, str]:
    return await login(
        client, server_url("CMH_TEST_ADMIN_EMAIL"), server_url("CMH_TEST_ADMIN_PASSWORD")
    )


async def upload_ready_video(client: httpx.AsyncClient, author: dict[str, str]) -> str:
    """Register -> presigned upload -> confirm; the content worker transcodes it after the
    asset_uploaded event crosses Kafka."""
    video = sample_video()
    registered = await client.post(
        "/api/v1/content/assets",
        headers=author,
        json={
            "filename": "journey.mp4",
            "content_type": "video/mp4",
            "size_bytes": len(video),
            "kind": "video",
        },
    )
    assert registered.status_code == 201, registered.text
    asset_id: str = registered.json()["asset"]["id"]
    upload = registered.json()["upload"]
    async with httpx.AsyncClient(timeout=30) as storage:
        put = await storage.request(
            upload["method"], upload["url"], content=video, headers=upload["headers"]
        )
    assert put.status_code < 300, put.text
    confirmed = await client.post(f"/api/v1/content/assets/{asset_id}/uploaded", headers=author)
    assert confirmed.status_code == 202, confirmed.text

    async def ready() -> bool:
        asset = (await client.get(f"/api/v1/content/assets/{asset_id}", headers=author)).json()
        assert asset["status"] != "failed", asset
        return bool(asset["status"] == "ready")

    await eventually(ready, timeout=90)
    return asset_id


async def publish_course(
    client: httpx.AsyncClient, author: dict[str, str], asset_id: str
) -> tuple[str, list[str]]:
    title = f"Journey {uuid.uuid4().hex[:6]}: VPC peering"
    created = await client.post(
        "/api/v1/courses",
        headers=author,
        json={
            "title": title,
            "provider": "aws",
            "level": "beginner",
            "tags": ["vpc"],
            "summary": "Peer two VPCs and route between them.",
        },
    )
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", headers=author, json={"title": "Peering"}
    )
    assert module.status_code == 201, module.text
    lessons = []
    for name, kind in [("Why peer", "video"), ("Route tables", "text")]:
        lesson = await client.post(
            f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
            headers=author,
            json={
                "title": name,
                "kind": kind,
                **({"asset_id": asset_id} if kind == "video" else {}),
            },
        )
        assert lesson.status_code == 201, lesson.text
        lessons.append(lesson.json()["id"])
    published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=author)
    assert published.status_code == 200, published.text
    return course_id, lessons


async def test_register_browse_enroll_play_complete(gateway: httpx.AsyncClient) -> None:
    author = await admin(gateway)
    asset_id = await upload_ready_video(gateway, author)
    course_id, lessons = await publish_course(gateway, author, asset_id)
    learner = await new_learner(gateway)

    title = (await gateway.get(f"/api/v1/courses/{course_id}")).json()["title"]

    async def searchable() -> bool:
        # The whole title (every word must match): the catalog keeps every earlier run's
        # "Journey ...: VPC peering", and a search for "peering" alone pages past this one.
        found = await gateway.get("/api/v1/courses", params={"q": title, "provider": "aws"})
        return course_id in [c["id"] for c in found.json()["items"]]

    await eventually(searchable)  # course.published -> Kafka -> courses search indexer
    detail = await gateway.get(f"/api/v1/courses/{course_id}")
    assert [m["title"] for m in detail.json()["modules"]] == ["Peering"]

    enrolled = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    playback = await gateway.get(
        f"/api/v1/courses/{course_id}/lessons/{lessons[0]}/playback", headers=learner
    )
    assert playback.status_code == 200, playback.text
    async with httpx.AsyncClient(timeout=30) as media:
        clip = await media.get(playback.json()["url"], headers={"range": "bytes=0-99"})
    assert clip.status_code == 206
    assert len(clip.content) == 100

    for lesson_id in lessons:
        done = await gateway.post(
            f"/api/v1/courses/{course_id}/lessons/{lesson_id}/complete", headers=learner
        )
        assert done.status_code == 200, done.text
    progress = (await gateway.get(f"/api/v1/courses/{course_id}/progress", headers=learner)).json()
    assert progress["percentage"] == 100
    assert progress["completed_at"]

    dashboard = await gateway.post(
        "/graphql",
        headers=learner,
        json={"query": "{ dashboard { profile { email } enrollments { courseId } } }"},
    )
    assert dashboard.status_code == 200, dashboard.text


async def test_expired_tampered_and_missing_tokens_are_401(gateway: httpx.AsyncClient) -> None:
    key_file = Path(server_url("CMH_TEST_DISTRIBUTED_STATE")) / "secrets" / "users-signing.pem"
    expired = TokenIssuer(SigningKey.from_pem(key_file.read_bytes()), TokenSettings()).issue_access(
        Principal(user_id="u-1", roles=frozenset({"learner"})),
        now=datetime.now(UTC) - timedelta(hours=2),
        token_id="expired-1",
    )
    for headers in (
        {"authorization": f"Bearer {expired}"},
        {"authorization": f"Bearer {expired[:-4]}AAAA"},
        {},
    ):
        response = await gateway.get("/api/v1/enrollments/me", headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_learner_on_an_instructor_route_is_403(gateway: httpx.AsyncClient) -> None:
    learner = await new_learner(gateway)
    response = await gateway.post(
        "/api/v1/courses",
        headers=learner,
        json={"title": "Not mine", "provider": "gcp", "level": "beginner"},
    )
    assert response.status_code == 403


async def test_internal_routes_are_not_reachable_through_the_gateway(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/internal/v1/users/anyone/entitlements")
    assert response.status_code == 404


async def test_a_disabled_accounts_token_is_refused_by_the_gateway(
    gateway: httpx.AsyncClient,
) -> None:
    learner = await new_learner(gateway)
    me = await gateway.get("/api/v1/users/me", headers=learner)
    assert me.status_code == 200, me.text
    disabled = await gateway.patch(
        f"/api/v1/admin/users/{me.json()['id']}",
        headers=await admin(gateway),
        json={"status": "disabled"},
    )
    assert disabled.status_code == 200, disabled.text

    async def refused() -> bool:
        # The gateway keeps a stamp lookup for a moment (CMH_TOKEN_STAMPS__CACHE_SECONDS).
        response = await gateway.get("/api/v1/enrollments/me", headers=learner)
        return response.status_code == 401 and response.json()["code"] == "token_revoked"

    await eventually(refused, timeout=30)
    # The users service refuses it too (its own check, not only the gateway's).
    assert (await gateway.get("/api/v1/users/me", headers=learner)).status_code == 401


async def test_an_admin_reads_the_dead_letters_parked_on_kafka(
    gateway: httpx.AsyncClient,
) -> None:
    """The same route as on the embedded platform: the users API reads the ``.dlq`` topics'
    tails (a message parked here as a consumer parks one: the ``x-dlq-*`` headers)."""
    from cmh.kernel.messaging.dead_letters import dead_letter
    from cmh_testing.kernel.dead_letters import park_on_kafka

    topic = f"journey.{uuid.uuid4().hex[:10]}"
    letter = dead_letter(
        topic=topic,
        consumer="journey.consumer",
        key="course-1",
        payload=b'{"id": "journey-event", "type": "course.published"}',
        reason="ValueError('a poison message')",
        attempts=5,
        headers={"ce_id": "journey-event"},
    )
    await park_on_kafka(server_url("CMH_TEST_KAFKA_BOOTSTRAP"), letter)

    listed = await gateway.get("/api/v1/admin/dead-letters", headers=await admin(gateway))
    assert listed.status_code == 200, listed.text
    mine = [view for view in listed.json() if view["topic"] == topic]
    assert mine, listed.json()[:3]
    assert mine[0]["consumer"] == "journey.consumer"
    assert mine[0]["reason"] == "ValueError('a poison message')"
    assert mine[0]["attempts"] == 5
    learner = await new_learner(gateway)
    assert (await gateway.get("/api/v1/admin/dead-letters", headers=learner)).status_code == 403
    assert (await gateway.get("/api/v1/admin/dead-letters")).status_code == 401


async def test_a_burst_over_the_rate_limit_is_429_with_retry_after(
    gateway: httpx.AsyncClient,
) -> None:
    answers = [
        await gateway.post(
            "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "x" * 12}
        )
        for _ in range(30)
    ]
    limited = [a for a in answers if a.status_code == 429]
    assert limited, [a.status_code for a in answers]
    assert int(limited[0].headers["retry-after"]) > 0
    assert "ratelimit-limit" in limited[0].headers


async def test_a_killed_upstream_opens_the_circuit_then_recovers(
    gateway: httpx.AsyncClient,
) -> None:
    run = Path(server_url("CMH_TEST_DISTRIBUTED_STATE")) / "run" / "courses-api.pid"
    pid = int(run.read_text().strip())
    os.kill(pid, signal.SIGTERM)

    async def circuit_open() -> bool:
        response = await gateway.get("/api/v1/courses")
        return response.status_code == 503 and response.json()["code"] == "upstream_unavailable"

    await eventually(circuit_open, timeout=30)
    # Open: answered by the gateway itself, without waiting on the dead upstream.
    assert (await gateway.get("/api/v1/courses")).json()["code"] == "upstream_unavailable"

    # A stopped instance drains its requests first (not ready, still running): the circuit
    # opens at once, the process is gone a little later. up.sh started while it still ran
    # saw it running, waited for it to be ready, and failed when it left.
    async def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    await eventually(gone, timeout=60)
    # Bring it back exactly as an operator would; up.sh starts only what is missing.
    restart = await asyncio.create_subprocess_exec(
        "/bin/bash",
        str(ROOT / "infra/distributed/up.sh"),
        env={**os.environ, "CMH_DISTRIBUTED_BUILD": "never"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await restart.communicate()
    assert restart.returncode == 0, output.decode()[-2000:]

    async def recovered() -> bool:
        return (await gateway.get("/api/v1/courses")).status_code == 200

    await eventually(recovered, timeout=90)
