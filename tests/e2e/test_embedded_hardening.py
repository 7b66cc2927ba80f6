"""Hostile and sloppy input against the embedded platform, as `make run` serves it: every
answer is a 4xx problem, never a 500."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dishka import AsyncContainer
from litestar.testing import AsyncTestClient

from cmh.apps.platform.app import create_app
from cmh.apps.platform.seed import attach_demo_videos
from cmh.apps.platform.settings import PlatformSettings
from cmh.content.application.ports import AssetRepository, ContentUnitOfWork
from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS
from cmh.courses.application.ports import CourseRepository
from cmh.courses.domain.course import Lesson
from cmh.courses.domain.values import LessonKind
from cmh.kernel.auth.principal import Role
from cmh.kernel.settings import HttpSettings
from cmh.kernel.uow import UnitOfWork
from cmh.users.application.ports import UserRepository
from cmh.users.demo_seed import DEMO_ACCOUNTS
from cmh.users.domain.email import Email
from tests.e2e.support import in_app

Client = AsyncTestClient[Any]
DEEP = b"[" * 1000 + b"]" * 1000


async def _bearer(client: Client, role: Role) -> dict[str, str]:
    account = next(a for a in DEMO_ACCOUNTS if a.role is role)
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def test_deeply_nested_json_is_400_on_a_route_of_every_context(platform: Client) -> None:
    learner = await _bearer(platform, Role.LEARNER)
    instructor = await _bearer(platform, Role.INSTRUCTOR)
    json_body = {"content-type": "application/json"}
    for method, path, headers in [
        ("POST", "/api/v1/auth/login", {}),
        ("PATCH", "/api/v1/users/me", learner),
        ("POST", "/api/v1/courses", instructor),
        ("POST", "/api/v1/content/assets", instructor),
    ]:
        for body in (DEEP, b'{"email": ' + DEEP + b"}"):
            answer = await platform.request(
                method, path, content=body, headers={**headers, **json_body}
            )
            assert answer.status_code == 400, (path, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["code"] == "malformed_body"


async def _rival_instructor(client: Client, admin: dict[str, str]) -> dict[str, str]:
    email, password = "rival@example.org", "rival-instructor-42"
    created = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": password, "display_name": "Rival"},
    )
    assert created.status_code == 201, created.text
    promoted = await client.patch(
        f"/api/v1/admin/users/{created.json()['id']}",
        json={"roles": ["learner", "instructor"]},
        headers=admin,
    )
    assert promoted.status_code == 200, promoted.text
    login = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return {"authorization": f"Bearer {login.json()['access_token']}"}


async def _draft(client: Client, author: dict[str, str]) -> tuple[str, str]:
    created = await client.post(
        "/api/v1/courses",
        headers=author,
        json={"title": "Free GCP intro", "provider": "gcp", "level": "beginner", "summary": "."},
    )
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", headers=author, json={"title": "Basics"}
    )
    assert module.status_code == 201, module.text
    return course_id, module.json()["id"]


def _video(asset_id: str) -> dict[str, Any]:
    return {"title": "Intro", "kind": "video", "duration_minutes": 3, "asset_id": asset_id}


async def test_an_instructor_cannot_put_another_owners_asset_in_a_lesson(platform: Client) -> None:
    owner = await _bearer(platform, Role.INSTRUCTOR)
    rival = await _rival_instructor(platform, await _bearer(platform, Role.ADMIN))
    private = await platform.post(
        "/api/v1/content/assets",
        headers=owner,
        json={
            "filename": "paid.mp4",
            "content_type": "video/mp4",
            "size_bytes": 10,
            "kind": "video",
        },
    )
    assert private.status_code == 201, private.text
    course_id, module_id = await _draft(platform, rival)
    lessons = f"/api/v1/courses/{course_id}/modules/{module_id}/lessons"
    # The demo instructor's ready video, their private not-yet-uploaded one, and none at all
    # get the same answer: nothing tells the rival which ids exist.
    for asset_id in ("demo-video-gcp-intro", private.json()["asset"]["id"], "no-such-asset"):
        answer = await platform.post(lessons, headers=rival, json=_video(asset_id))
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "asset_not_found"
        assert answer.json()["errors"][0]["field"] == "asset_id"
    course = (await platform.get(f"/api/v1/courses/{course_id}", headers=rival)).json()
    assert course["modules"][0]["lessons"] == []
    # Its owner may use it.
    own_course, own_module = await _draft(platform, owner)
    mine = await platform.post(
        f"/api/v1/courses/{own_course}/modules/{own_module}/lessons",
        headers=owner,
        json=_video("demo-video-gcp-intro"),
    )
    assert mine.status_code == 201, mine.text


async def test_a_lesson_naming_an_unattached_asset_does_not_play(platform: Client) -> None:
    """A reference made before attachments were checked (or written around the API)
    plays nothing: content signs URLs only for courses the asset was attached to."""
    rival = await _rival_instructor(platform, await _bearer(platform, Role.ADMIN))
    course_id, module_id = await _draft(platform, rival)
    container: AsyncContainer = platform.app.state.dishka_container

    async def borrow() -> None:
        async with container() as request:
            courses, uow = await request.get(CourseRepository), await request.get(UnitOfWork)
            async with uow:
                course = await courses.get(course_id)
                assert course is not None
                borrowed = Lesson.create(
                    "borrowed",
                    title="Borrowed",
                    kind=LessonKind.VIDEO,
                    required=True,
                    duration_minutes=3,
                    asset_id="demo-video-gcp-intro",
                )
                course.add_lesson(module_id, borrowed, now=datetime.now(UTC))
                await courses.save(course)
                await uow.commit()

    await in_app(platform, borrow)
    published = await platform.post(f"/api/v1/courses/{course_id}/publish", headers=rival)
    assert published.status_code == 200, published.text
    learner = await _bearer(platform, Role.LEARNER)
    enrolled = await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    for caller in (learner, rival):
        played = await platform.get(
            f"/api/v1/courses/{course_id}/lessons/borrowed/playback", headers=caller
        )
        assert played.status_code == 404, played.text
        assert played.json()["code"] == "asset_not_found"


async def test_demo_courses_seeded_before_attachments_existed_still_play(platform: Client) -> None:
    container: AsyncContainer = platform.app.state.dishka_container

    async def detach() -> None:  # a data folder from before: no attachments recorded
        async with container() as request:
            assets = await request.get(AssetRepository)
            uow = await request.get(ContentUnitOfWork)
            async with uow:
                for asset_id in DEMO_VIDEO_ASSET_IDS:
                    asset = await assets.get(asset_id)
                    assert asset is not None
                    asset.attached_to = ()
                    await assets.save(asset)
                await uow.commit()

    instructor = next(a for a in DEMO_ACCOUNTS if a.role is Role.INSTRUCTOR)

    async def reattach() -> None:  # what the next `make run` start does
        async with container() as request:
            users = await request.get(UserRepository)
            user = await users.by_email(Email.parse(instructor.email))
        assert user is not None
        await attach_demo_videos(container, user.id)

    await in_app(platform, detach)
    await in_app(platform, reattach)

    learner = await _bearer(platform, Role.LEARNER)
    catalog = (await platform.get("/api/v1/courses", params={"level": "beginner"})).json()
    course = (await platform.get(f"/api/v1/courses/{catalog['items'][0]['id']}")).json()
    video = next(
        lesson["id"]
        for module in course["modules"]
        for lesson in module["lessons"]
        if lesson["kind"] == "video"
    )
    enrolled = await platform.post(f"/api/v1/courses/{course['id']}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text
    played = await platform.get(
        f"/api/v1/courses/{course['id']}/lessons/{video}/playback", headers=learner
    )
    assert played.status_code == 200, played.text


async def test_personal_data_is_never_stored_and_nothing_is_sniffed(platform: Client) -> None:
    learner = await _bearer(platform, Role.LEARNER)
    for path in ("/api/v1/users/me", "/api/v1/users/me/export", "/api/v1/enrollments/me"):
        answer = await platform.get(path, headers=learner)
        assert answer.status_code == 200, (path, answer.text)
        assert answer.headers["cache-control"] == "no-store", path
        assert answer.headers["x-content-type-options"] == "nosniff", path
    login = await platform.post(
        "/api/v1/auth/login", json={"email": "x@example.org", "password": "y"}
    )
    assert login.headers["cache-control"] == "no-store"
    assert login.headers["x-content-type-options"] == "nosniff"


async def test_a_frontend_origin_gets_its_preflight_answered_before_the_token_check(
    tmp_path: Path,
) -> None:
    origin = "http://localhost:5173"
    settings = PlatformSettings(
        data_dir=str(tmp_path), seed_demo_data=False, http=HttpSettings(cors_origins=origin)
    )
    async with AsyncTestClient(create_app(settings)) as client:
        preflight = await client.options(
            "/api/v1/users/me",
            headers={
                "origin": origin,
                "access-control-request-method": "GET",
                "access-control-request-headers": "authorization",
            },
        )
        assert preflight.status_code == 204, preflight.text
        assert preflight.headers["access-control-allow-origin"] == origin
        refused = await client.get("/api/v1/users/me", headers={"origin": origin})
        assert refused.status_code == 401
        assert refused.headers["access-control-allow-origin"] == origin


async def test_a_malformed_media_signature_is_403(platform: Client) -> None:
    for query in ("signature=%C3%A9", "expires=abc&signature=%E2%82%AC", "expires=1&signature="):
        answer = await platform.get(f"/media/x?{query}")
        assert answer.status_code == 403, (query, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
