from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh_testing.courses import CoursesTestApp

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="learner", roles=frozenset({"learner"}))
OTHER = Principal(user_id="learner-2", roles=frozenset({"learner"}))

Client = AsyncTestClient[Litestar]


async def authored(
    client: Any,
    harness: CoursesTestApp,
    *,
    title: str = "AWS Lambda in Practice",
    level: str = "beginner",
    publish: bool = True,
) -> dict[str, Any]:
    as_teacher = harness.auth(INSTRUCTOR)
    created = await client.post(
        "/api/v1/courses",
        json={
            "title": title,
            "summary": "Serverless on AWS.",
            "provider": "aws",
            "level": level,
            "tags": ["lambda", "serverless"],
        },
        headers=as_teacher,
    )
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules",
        json={"title": "Getting started"},
        headers=as_teacher,
    )
    assert module.status_code == 201, module.text
    for body in (
        {"title": "Welcome video", "kind": "video", "duration_minutes": 6, "asset_id": "asset-7"},
        {"title": "Read the basics", "kind": "text", "duration_minutes": 4},
    ):
        lesson = await client.post(
            f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
            json=body,
            headers=as_teacher,
        )
        assert lesson.status_code == 201, lesson.text
    if publish:
        published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=as_teacher)
        assert published.status_code == 200, published.text
        await harness.drain()
    detail = await client.get(f"/api/v1/courses/{course_id}", headers=as_teacher)
    return dict(detail.json())


def lessons_of(course: dict[str, Any]) -> list[str]:
    return [lesson["id"] for module in course["modules"] for lesson in module["lessons"]]


async def test_the_catalog_is_public_and_lists_published_courses_with_facets(
    client: Client, harness: CoursesTestApp
) -> None:
    published = await authored(client, harness)
    await authored(client, harness, title="Secret draft", publish=False)
    page = (await client.get("/api/v1/courses")).json()
    assert [item["id"] for item in page["items"]] == [published["id"]]
    assert page["facets"] == {
        "provider": {"aws": 1},
        "level": {"beginner": 1},
        "tags": {"lambda": 1, "serverless": 1},
    }
    assert page["next_cursor"] is None
    assert (await client.get("/api/v1/courses", params={"q": "lambda", "provider": "aws"})).json()[
        "items"
    ]
    assert (await client.get("/api/v1/courses", params={"provider": "gcp"})).json()["items"] == []


async def test_pages_follow_the_cursor(client: Client, harness: CoursesTestApp) -> None:
    for n in range(3):
        await authored(client, harness, title=f"Course {n}")
    first = (await client.get("/api/v1/courses", params={"limit": 2})).json()
    assert len(first["items"]) == 2
    second = (
        await client.get("/api/v1/courses", params={"limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert [i["title"] for i in first["items"] + second["items"]] == [
        "Course 0",
        "Course 1",
        "Course 2",
    ]
    assert second["next_cursor"] is None
    bad = await client.get("/api/v1/courses", params={"cursor": "garbage!"})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")


async def test_drafts_are_invisible_to_others(client: Client, harness: CoursesTestApp) -> None:
    draft = await authored(client, harness, publish=False)
    assert draft["status"] == "draft"
    assert (await client.get(f"/api/v1/courses/{draft['id']}")).status_code == 404
    assert (
        await client.get(f"/api/v1/courses/{draft['id']}", headers=harness.auth(LEARNER))
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/courses/{draft['id']}", headers=harness.auth(ADMIN))
    ).status_code == 200


async def test_an_instructor_lists_their_own_courses_drafts_included(
    client: Client, harness: CoursesTestApp
) -> None:
    published = await authored(client, harness)
    draft = await authored(client, harness, title="Secret draft", publish=False)
    mine = await client.get("/api/v1/courses/authored", headers=harness.auth(INSTRUCTOR))
    assert mine.status_code == 200, mine.text
    assert [(c["id"], c["status"]) for c in mine.json()] == [
        (draft["id"], "draft"),
        (published["id"], "published"),
    ]
    assert (await client.get("/api/v1/courses/authored", headers=harness.auth(ADMIN))).json() == []
    refused = await client.get("/api/v1/courses/authored", headers=harness.auth(LEARNER))
    assert (refused.status_code, refused.json()["code"]) == (403, "not_an_author")
    assert (await client.get("/api/v1/courses/authored")).status_code == 401


async def test_a_learner_cannot_author(client: Client, harness: CoursesTestApp) -> None:
    course = await authored(client, harness)
    as_learner = harness.auth(LEARNER)
    created = await client.post(
        "/api/v1/courses",
        json={"title": "Mine", "provider": "aws", "level": "beginner"},
        headers=as_learner,
    )
    assert (created.status_code, created.json()["code"]) == (403, "not_an_author")
    patched = await client.patch(
        f"/api/v1/courses/{course['id']}", json={"title": "Hijacked"}, headers=as_learner
    )
    assert patched.status_code == 403
    assert (
        await client.post(f"/api/v1/courses/{course['id']}/archive", headers=as_learner)
    ).status_code == 403
    anonymous = await client.post(
        "/api/v1/courses", json={"title": "Mine", "provider": "aws", "level": "beginner"}
    )
    assert anonymous.status_code == 401


async def test_bad_input_is_a_clear_4xx(client: Client, harness: CoursesTestApp) -> None:
    headers = {**harness.auth(INSTRUCTOR), "content-type": "application/json"}
    malformed = await client.post("/api/v1/courses", content=b"{not json", headers=headers)
    assert malformed.status_code == 400
    wrong = await client.post(
        "/api/v1/courses",
        json={"title": 42, "provider": "aws", "level": "beginner"},
        headers=headers,
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "title"
    unknown_provider = await client.post(
        "/api/v1/courses",
        json={"title": "Fine title", "provider": "ibm", "level": "beginner"},
        headers=headers,
    )
    assert (unknown_provider.status_code, unknown_provider.json()["errors"][0]["field"]) == (
        422,
        "provider",
    )
    assert (await client.get("/api/v1/courses/nope")).status_code == 404
    assert (
        await client.post("/api/v1/courses/nope/enrollments", headers=harness.auth(LEARNER))
    ).status_code == 404
    assert (await client.get("/api/v1/courses", params={"limit": 500})).status_code in (400, 422)


async def test_enrollment_is_gated_by_the_plan(client: Client, harness: CoursesTestApp) -> None:
    advanced = await authored(client, harness, level="advanced")
    (await harness.entitlements()).set_user(LEARNER.user_id, "free")
    refused = await client.post(
        f"/api/v1/courses/{advanced['id']}/enrollments", headers=harness.auth(LEARNER)
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_entitled")
    (await harness.entitlements()).set_user(LEARNER.user_id, "pro")
    enrolled = await client.post(
        f"/api/v1/courses/{advanced['id']}/enrollments", headers=harness.auth(LEARNER)
    )
    assert enrolled.status_code == 201
    mine = (await client.get("/api/v1/enrollments/me", headers=harness.auth(LEARNER))).json()
    assert [item["course_id"] for item in mine["items"]] == [advanced["id"]]
    left = await client.delete(
        f"/api/v1/courses/{advanced['id']}/enrollments/me", headers=harness.auth(LEARNER)
    )
    assert left.status_code == 204
    assert (await client.get("/api/v1/enrollments/me", headers=harness.auth(LEARNER))).json()[
        "items"
    ] == []


async def test_progress_and_playback_belong_to_enrolled_learners(
    client: Client, harness: CoursesTestApp
) -> None:
    course = await authored(client, harness)
    video, text = lessons_of(course)
    base = f"/api/v1/courses/{course['id']}"
    denied = await client.get(f"{base}/lessons/{video}/playback", headers=harness.auth(LEARNER))
    assert (denied.status_code, denied.json()["code"]) == (403, "not_enrolled")
    await client.post(f"{base}/enrollments", headers=harness.auth(LEARNER))
    played = await client.get(f"{base}/lessons/{video}/playback", headers=harness.auth(LEARNER))
    assert played.status_code == 200
    assert "asset-7" in played.json()["url"]
    position = await client.put(
        f"{base}/lessons/{video}/position", json={"seconds": 73}, headers=harness.auth(LEARNER)
    )
    assert position.json()["positions"] == {video: 73}
    negative = await client.put(
        f"{base}/lessons/{video}/position", json={"seconds": -1}, headers=harness.auth(LEARNER)
    )
    assert (negative.status_code, negative.json()["errors"][0]["field"]) == (422, "seconds")
    done = await client.post(f"{base}/lessons/{text}/complete", headers=harness.auth(LEARNER))
    assert done.json()["percentage"] == 50
    snooping = await client.get(
        f"{base}/progress", params={"user_id": LEARNER.user_id}, headers=harness.auth(OTHER)
    )
    assert snooping.status_code == 403
    assert (await client.get(f"{base}/progress", headers=harness.auth(OTHER))).status_code == 404
    owner_view = await client.get(
        f"{base}/progress", params={"user_id": LEARNER.user_id}, headers=harness.auth(INSTRUCTOR)
    )
    assert owner_view.json()["percentage"] == 50


async def test_lesson_content_round_trips_for_managers_and_learners(
    client: Client, harness: CoursesTestApp
) -> None:
    course = await authored(client, harness)
    _, text = lessons_of(course)
    url = f"/api/v1/courses/{course['id']}/lessons/{text}/content"
    body = {
        "blocks": [
            {"kind": "heading", "text": "Handlers"},
            {"kind": "code", "text": "def handler(): ...", "language": "python"},
        ],
        "attachments": [
            {"name": "cheatsheet.pdf", "url": "https://cdn.example/cs.pdf", "size_bytes": 2048}
        ],
    }
    written = await client.put(url, json=body, headers=harness.auth(INSTRUCTOR))
    assert written.status_code == 200, written.text
    assert (await client.put(url, json=body, headers=harness.auth(LEARNER))).status_code == 403
    assert (await client.get(url, headers=harness.auth(LEARNER))).status_code == 403
    await client.post(f"/api/v1/courses/{course['id']}/enrollments", headers=harness.auth(LEARNER))
    read = (await client.get(url, headers=harness.auth(LEARNER))).json()
    assert [b["kind"] for b in read["blocks"]] == ["heading", "code"]
    bad = await client.put(
        url, json={"blocks": [{"kind": "marquee"}]}, headers=harness.auth(INSTRUCTOR)
    )
    assert bad.status_code == 422
