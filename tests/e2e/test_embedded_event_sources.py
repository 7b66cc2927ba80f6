"""The embedded platform stamps each event with its producing context's CloudEvents
``source``, the very name that context's own service stamps in the distributed profile:
a consumer cannot tell the two profiles apart by the envelope."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from litestar.testing import AsyncTestClient

from cmh.apps.platform.app import MODULES
from cmh.content.di import CONTENT_SOURCE
from cmh.contracts.events.base import decode_envelope
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.users.demo_seed import DEMO_ACCOUNTS
from tests.e2e.support import eventually

Client = AsyncTestClient[Any]
_, INSTRUCTOR, _, _ = DEMO_ACCOUNTS
VIDEO = {"filename": "intro.mp4", "content_type": "video/mp4", "size_bytes": 2048, "kind": "video"}
DISTRIBUTED_SOURCE = {
    "user.registered": "cloudmastershub/users",
    "course.published": "cloudmastershub/courses",
    "content.asset_registered": CONTENT_SOURCE,
}


async def test_a_journeys_events_carry_their_contexts_sources(platform: Client) -> None:
    bus: InProcessBus = platform.app.state.event_bus
    already = len(bus.published)

    joined = await platform.post(
        "/api/v1/auth/register",
        json={
            "email": "sources@example.com",
            "password": "a-long-pass-phrase-7",
            "display_name": "Src",
        },
    )
    assert joined.status_code == 201, joined.text
    login = await platform.post(
        "/api/v1/auth/login", json={"email": INSTRUCTOR.email, "password": INSTRUCTOR.password}
    )
    instructor = {"authorization": f"Bearer {login.json()['access_token']}"}
    asset = await platform.post("/api/v1/content/assets", json=VIDEO, headers=instructor)
    assert asset.status_code == 201, asset.text
    course = await platform.post(
        "/api/v1/courses",
        json={
            "title": "Event sources, hands on",
            "summary": "Who said what, in every profile.",
            "provider": "aws",
            "level": "beginner",
        },
        headers=instructor,
    )
    course_id = course.json()["id"]
    module = await platform.post(
        f"/api/v1/courses/{course_id}/modules", json={"title": "One"}, headers=instructor
    )
    lesson = await platform.post(
        f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
        json={"title": "Read", "kind": "text", "duration_minutes": 3},
        headers=instructor,
    )
    assert lesson.status_code == 201, lesson.text
    published = await platform.post(f"/api/v1/courses/{course_id}/publish", headers=instructor)
    assert published.status_code == 200, published.text

    def sources_by_type() -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for message in list(bus.published)[already:]:  # a snapshot: the relay keeps appending
            envelope = decode_envelope(message.payload)
            found[envelope.type].add(envelope.source)
        return found

    async def all_relayed() -> bool:
        return set(DISTRIBUTED_SOURCE) <= set(sources_by_type())

    await eventually(all_relayed)
    seen = sources_by_type()
    assert {event: seen[event] for event in DISTRIBUTED_SOURCE} == {
        event: {source} for event, source in DISTRIBUTED_SOURCE.items()
    }
    # Seeded or not, no event of the platform is stamped with the process's name: each
    # carries the context that produced it (the forum's boards follow course.published).
    every_source = {decode_envelope(m.payload).source for m in list(bus.published)}
    assert set(DISTRIBUTED_SOURCE.values()) <= every_source
    assert every_source <= {f"cloudmastershub/{module.name}" for module in MODULES}
