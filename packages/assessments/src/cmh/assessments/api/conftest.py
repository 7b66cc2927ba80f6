"""The Assessments API over the module's EMBEDDED composition (SQLite file, courses and
proctoring stand-ins), with a frozen clock and tokens signed by a test key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh_testing.assessments import AssessmentsTestApp, build_assessments_test_app

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
RIVAL = Principal(user_id="rival", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="ada", roles=frozenset({"learner"}))
OTHER = Principal(user_id="bob", roles=frozenset({"learner"}))
COURSE = "course-aws"
LESSON = "lesson-quiz"

Client = AsyncTestClient[Litestar]

# One question of each kind the learner answers, with the right answer to give.
BANK: list[tuple[dict[str, Any], Any]] = [
    (
        {
            "kind": "single",
            "prompt": "Which service stores objects?",
            "skills": ["storage"],
            "choices": [{"id": "a", "text": "EC2"}, {"id": "b", "text": "S3"}],
            "key": {"choice_ids": ["b"]},
            "explanation": "S3 is object storage.",
        },
        "b",
    ),
    (
        {
            "kind": "multiple",
            "prompt": "Which are regions?",
            "skills": ["global"],
            "choices": [
                {"id": "a", "text": "us-east-1"},
                {"id": "b", "text": "eu-west-1"},
                {"id": "c", "text": "t3.micro"},
            ],
            "key": {"choice_ids": ["a", "b"]},
        },
        ["b", "a"],
    ),
    ({"kind": "true_false", "prompt": "S3 is global?", "key": {"truth": False}}, False),
    (
        {
            "kind": "numeric",
            "prompt": "How many nines of durability does S3 promise?",
            "key": {"value": 11, "tolerance": 0},
        },
        11,
    ),
    (
        {
            "kind": "short_text",
            "prompt": "The AWS CLI command to list buckets?",
            "key": {"accepted": ["aws s3 ls"]},
        },
        "AWS S3 LS",
    ),
    (
        {
            "kind": "ordering",
            "prompt": "Order from smallest to largest",
            "choices": [
                {"id": "x", "text": "Region"},
                {"id": "y", "text": "Availability zone"},
                {"id": "z", "text": "Data center"},
            ],
            "key": {"choice_ids": ["z", "y", "x"]},
        },
        ["z", "y", "x"],
    ),
]


class AssessmentsApi(AssessmentsTestApp):
    async def arrange_course(self) -> None:
        courses = await self.courses()
        courses.add_course(COURSE, owner_id=INSTRUCTOR.user_id, title="AWS Essentials")
        courses.enroll(LEARNER.user_id, COURSE)
        courses.enroll(OTHER.user_id, COURSE)


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[AssessmentsApi]:
    built = await build_assessments_test_app(
        tmp_path, FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    )
    api = AssessmentsApi(**{name: getattr(built, name) for name in built.__dataclass_fields__})
    await api.arrange_course()
    yield api
    await api.container.close()


@pytest.fixture
async def client(api: AssessmentsApi) -> AsyncIterator[Client]:
    async with AsyncTestClient(api.app) as client:
        yield client


async def authored_quiz(
    client: Client, api: AssessmentsApi, *, kind: str = "quiz", **rules: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A published quiz of the whole bank; the right answer of each question by id."""
    as_teacher = api.auth(INSTRUCTOR)
    answers: dict[str, Any] = {}
    for body, right in BANK:
        created = await client.post(
            "/api/v1/assessments/questions",
            json={"course_id": COURSE, "points": 1, **body},
            headers=as_teacher,
        )
        assert created.status_code == 201, created.text
        answers[created.json()["id"]] = right
    quiz_body: dict[str, Any] = {
        "course_id": COURSE,
        "kind": kind,
        "title": "S3 basics" if kind == "quiz" else "Final exam",
        "question_ids": list(answers),
        "rules": {"passing_percent": 80, **rules},
    }
    if kind == "quiz":
        quiz_body["lesson_id"] = LESSON
    quiz = await client.post("/api/v1/assessments/quizzes", json=quiz_body, headers=as_teacher)
    assert quiz.status_code == 201, quiz.text
    published = await client.post(
        f"/api/v1/assessments/quizzes/{quiz.json()['id']}/publish", headers=as_teacher
    )
    assert published.status_code == 200, published.text
    quiz_view: dict[str, Any] = published.json()
    return quiz_view, answers
