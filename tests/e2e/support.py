"""What the journeys share: events reach consumers through the outbox relay and the bus,
so a journey polls for the effect it expects instead of sleeping blindly; and taking a quiz
(right answers from the instructor's question bank)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import msgspec
from litestar.testing import AsyncTestClient

from cmh.apps.platform.settings import NOTIFICATIONS_MAIL_FILE
from cmh.notifications.application.ports import MailMessage

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not true within {timeout}s")
        await asyncio.sleep(0.1)


async def in_app(client: Any, run: Callable[[], Awaitable[T]]) -> T:
    """``run`` on the app's own event loop: the test client runs the app's lifespan (its
    DI container, database pools and background timers) in a portal thread, and the
    container's locks belong to that loop; a test that reaches into the container from
    its own loop races the timers. The test's loop keeps running meanwhile."""
    portal = client.blocking_portal
    return await asyncio.to_thread(portal.call, run)


def mails(data_dir: Path, to: str) -> list[MailMessage]:
    """The mail the embedded platform sent to ``to``: its mail adapter writes each message
    as a JSON line in the data folder."""
    path = data_dir / NOTIFICATIONS_MAIL_FILE
    if not path.exists():
        return []
    decoder = msgspec.json.Decoder(MailMessage)
    return [m for line in path.read_bytes().splitlines() if (m := decoder.decode(line)).to == to]


def right_answer(question: dict[str, Any]) -> Any:
    key = question["key"]
    match question["kind"]:
        case "single":
            return key["choice_ids"][0]
        case "multiple" | "ordering":
            return key["choice_ids"]
        case "true_false":
            return key["truth"]
        case "numeric":
            return key["value"]
        case "short_text":
            return key["accepted"][0]
    raise AssertionError(question["kind"])


async def pass_quiz(
    client: AsyncTestClient[Any],
    learner: dict[str, str],
    course_id: str,
    lesson: str,
    keys: dict[str, Any],
) -> dict[str, Any]:
    quiz = await client.get(f"/api/v1/courses/{course_id}/lessons/{lesson}/quiz", headers=learner)
    assert quiz.status_code == 200, quiz.text
    started = await client.post(
        f"/api/v1/assessments/quizzes/{quiz.json()['id']}/attempts", headers=learner
    )
    assert started.status_code == 201, started.text
    attempt = started.json()
    assert "key" not in str(attempt)
    for question in attempt["questions"]:
        saved = await client.put(
            f"/api/v1/assessments/attempts/{attempt['id']}/answers/{question['id']}",
            json={"value": keys[question["id"]]},
            headers=learner,
        )
        assert saved.status_code == 200, saved.text
    graded = await client.post(
        f"/api/v1/assessments/attempts/{attempt['id']}/submit", headers=learner
    )
    assert graded.status_code == 200, graded.text
    assert graded.json()["result"]["passed"] is True
    body: dict[str, Any] = graded.json()
    return body
