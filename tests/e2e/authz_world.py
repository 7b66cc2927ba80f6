"""The people and objects the authorization matrix and the token attacks use, built through
the embedded platform's public API: the demo accounts, a second learner, an instructor who
owns nothing, and one of each owned object (a draft course, an asset, a lab template, a lab
session, a quiz attempt, a certificate, a notification, forum posts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from cmh.users.demo_seed import DEMO_ACCOUNTS
from tests.e2e.support import eventually, pass_quiz, right_answer

Client = AsyncTestClient[Any]
LEARNER, INSTRUCTOR, ADMIN, PRO = DEMO_ACCOUNTS
COURSE_TITLE = "AWS Cloud Practitioner Essentials"
Params = dict[str, str]


async def login(client: Client, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


def ok(response: Any, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201, 202, 204)), (
        response.request.url,
        response.text,
    )
    return response.json() if response.content else None


@dataclass
class World:
    client: Client
    # learner (free demo learner), pro, author (the demo instructor: owns the demo catalog),
    # admin, other (a second learner), rival (an instructor who owns nothing here),
    # subject (an account only admins act on)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    course_id: str = ""
    lessons: list[tuple[str, str]] = field(default_factory=list)
    keys: dict[str, Any] = field(default_factory=dict)
    _objects: dict[str, Params] = field(default_factory=dict)
    data_dir: Path = Path()
    made: int = 0  # forum texts differ: the same text twice is refused as a duplicate

    async def get(self, name: str, make: Any) -> Params:
        if name not in self._objects:
            self._objects[name] = await make(self)
        return self._objects[name]

    async def register(self, name: str, email: str, *, instructor: bool = False) -> None:
        password = f"{name}-password-42"
        created = ok(
            await self.client.post(
                "/api/v1/auth/register",
                json={"email": email, "password": password, "display_name": name.title()},
            )
        )
        self.ids[name] = created["id"]
        if instructor:
            ok(
                await self.client.patch(
                    f"/api/v1/admin/users/{created['id']}",
                    json={"roles": ["learner", "instructor"]},
                    headers=self.headers["admin"],
                )
            )
        self.headers[name] = await login(self.client, email, password)


async def build_world(client: Client) -> World:
    world = World(client)
    for name, account in (
        ("learner", LEARNER),
        ("author", INSTRUCTOR),
        ("admin", ADMIN),
        ("pro", PRO),
    ):
        world.headers[name] = await login(client, account.email, account.password)
        me = ok(await client.get("/api/v1/users/me", headers=world.headers[name]))
        world.ids[name] = me["id"]
    await world.register("other", "other-learner@example.org")
    await world.register("rival", "rival-instructor@example.org", instructor=True)
    await world.register("subject", "subject@example.org")
    catalog = ok(await client.get("/api/v1/courses", params={"provider": "aws"}))
    world.course_id = next(c["id"] for c in catalog["items"] if c["title"] == COURSE_TITLE)
    course = ok(await client.get(f"/api/v1/courses/{world.course_id}"))
    world.lessons = [(lsn["id"], lsn["kind"]) for m in course["modules"] for lsn in m["lessons"]]
    bank = await client.get(
        "/api/v1/assessments/questions",
        params={"course_id": world.course_id},
        headers=world.headers["author"],
    )
    world.keys = {q["id"]: right_answer(q) for q in ok(bank)}
    for name in ("learner", "other", "pro"):
        ok(
            await client.post(
                f"/api/v1/courses/{world.course_id}/enrollments", headers=world.headers[name]
            )
        )
    return world


# --- one maker per kind of owned object -------------------------------------------------


async def learner_profile(world: World) -> Params:
    return {"user_id": world.ids["learner"]}


async def subject_profile(world: World) -> Params:
    return {"user_id": world.ids["subject"]}


async def draft_course(world: World) -> Params:
    author = world.headers["author"]
    course = ok(
        await world.client.post(
            "/api/v1/courses",
            headers=author,
            json={"title": "Draft on VPCs", "provider": "aws", "level": "beginner", "summary": "."},
        )
    )
    module = ok(
        await world.client.post(
            f"/api/v1/courses/{course['id']}/modules", headers=author, json={"title": "Basics"}
        )
    )
    lesson = ok(
        await world.client.post(
            f"/api/v1/courses/{course['id']}/modules/{module['id']}/lessons",
            headers=author,
            json={"title": "Subnets", "kind": "text", "duration_minutes": 5},
        )
    )
    ok(
        await world.client.put(
            f"/api/v1/courses/{course['id']}/lessons/{lesson['id']}/content",
            headers=author,
            json={"blocks": [{"kind": "paragraph", "text": "Subnets split a VPC."}]},
        )
    )
    return {"course_id": course["id"], "module_id": module["id"], "lesson_id": lesson["id"]}


async def course_to_reorder(world: World) -> Params:
    """A draft of its own: other operations add modules to the shared draft, and an order
    must name every module (and every lesson of the module) once."""
    return await draft_course(world)


async def published_course(world: World) -> Params:
    return {"course_id": world.course_id, "file_name": "enrollments.svg"}


async def asset(world: World) -> Params:
    registered = ok(
        await world.client.post(
            "/api/v1/content/assets",
            headers=world.headers["author"],
            json={
                "filename": "vpc.mp4",
                "content_type": "video/mp4",
                "size_bytes": 10,
                "kind": "video",
            },
        )
    )
    return {"asset_id": registered["asset"]["id"]}


async def template(world: World) -> Params:
    listed = ok(await world.client.get("/api/v1/labs/templates", headers=world.headers["author"]))
    items = listed["items"] if isinstance(listed, dict) else listed
    mine = [t for t in items if t.get("owner_id") == world.ids["author"]]
    assert mine, "the demo instructor owns the demo lab templates"
    return {"template_id": mine[0]["id"]}


async def lab_session(world: World) -> Params:
    listed = ok(await world.client.get("/api/v1/labs/templates", headers=world.headers["pro"]))
    items = listed["items"] if isinstance(listed, dict) else listed
    for candidate in items:
        launched = await world.client.post(
            "/api/v1/labs/sessions",
            json={"template_id": candidate["id"]},
            headers=world.headers["pro"],
        )
        if launched.status_code == 202:
            return {"session_id": launched.json()["id"]}
    raise AssertionError("the pro learner could launch no lab")


async def quiz(world: World) -> Params:
    [lesson] = [lesson_id for lesson_id, kind in world.lessons if kind == "quiz"]
    found = ok(
        await world.client.get(
            f"/api/v1/courses/{world.course_id}/lessons/{lesson}/quiz",
            headers=world.headers["author"],
        )
    )
    return {"quiz_id": found["id"]}


async def question(world: World) -> Params:
    return {"question_id": next(iter(world.keys))}


async def attempt(world: World) -> Params:
    quiz_id = (await world.get("quiz", quiz))["quiz_id"]
    started = ok(
        await world.client.post(
            f"/api/v1/assessments/quizzes/{quiz_id}/attempts", headers=world.headers["pro"]
        )
    )
    return {"attempt_id": started["id"], "question_id": started["questions"][0]["id"]}


async def certificate(world: World) -> Params:
    """The free learner finishes the demo AWS course: quiz, lessons, final exam."""
    client, learner = world.client, world.headers["learner"]
    [quiz_lesson] = [lesson_id for lesson_id, kind in world.lessons if kind == "quiz"]
    await pass_quiz(client, learner, world.course_id, quiz_lesson, world.keys)

    async def quiz_lesson_done() -> bool:
        progress = await client.get(f"/api/v1/courses/{world.course_id}/progress", headers=learner)
        return quiz_lesson in progress.json()["completed_lessons"]

    await eventually(quiz_lesson_done)
    for lesson_id, kind in world.lessons:
        if kind != "quiz":
            ok(
                await client.post(
                    f"/api/v1/courses/{world.course_id}/lessons/{lesson_id}/complete",
                    headers=learner,
                )
            )
    await pass_quiz(client, learner, world.course_id, "exam", world.keys)

    async def certified() -> bool:
        return len((await client.get("/api/v1/certificates/me", headers=learner)).json()) == 1

    await eventually(certified)
    [issued] = ok(await client.get("/api/v1/certificates/me", headers=learner))
    return {"file_name": f"{issued['id']}.pdf", "certificate_id": issued["id"]}


async def notification(world: World) -> Params:
    learner = world.headers["learner"]

    async def delivered() -> bool:
        page = await world.client.get("/api/v1/notifications/me", headers=learner)
        return bool(page.json()["items"])

    await eventually(delivered)
    page = ok(await world.client.get("/api/v1/notifications/me", headers=learner))
    return {"notification_id": page["items"][0]["id"]}


async def _thread(world: World, author: str) -> Params:
    """A question on the course board (a member may post five times a minute: the makers
    spread their posts over several members)."""
    client, world.made = world.client, world.made + 1
    boards = ok(
        await client.get(
            "/api/v1/forum/boards",
            params={"course_id": world.course_id},
            headers=world.headers[author],
        )
    )
    started = ok(
        await client.post(
            f"/api/v1/forum/boards/{boards[0]['id']}/threads",
            json={"title": f"Question {world.made}", "body": f"Cheapest region? ({world.made})"},
            headers=world.headers[author],
        )
    )
    return {"thread_id": started["id"], "post_id": started["opening_post_id"], "action": "lock"}


async def forum_thread(world: World) -> Params:
    return await _thread(world, "learner")


async def pro_forum_thread(world: World) -> Params:
    return await _thread(world, "pro")


async def forum_reply(world: World) -> Params:
    """The learner's question, and the other learner's reply to it (to accept)."""
    thread = await _thread(world, "learner")
    reply = ok(
        await world.client.post(
            f"/api/v1/forum/threads/{thread['thread_id']}/replies",
            json={"body": f"Usually us-east-1 ({world.made})."},
            headers=world.headers["other"],
        )
    )
    return {**thread, "post_id": reply["id"]}
