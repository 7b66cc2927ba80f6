"""Assessments in the distributed profile, through the gateway only: the assessments API
and worker are their own processes (`make up-distributed`), courses answers ownership and
enrollment over its internal HTTP route, events cross Kafka both ways.

An instructor makes a course with a text lesson and a quiz lesson, its quiz and a final
exam; a learner enrolls, passes the quiz (attempt.graded -> courses completes the quiz
lesson), finishes the text lesson, passes the exam; course.completed -> assessments
issues the certificate, which anyone verifies without signing in.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cmh_testing.kernel.servers import server_url
from tests.e2e.support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.distributed]
PASSWORD = "a long exam journey 42"


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server_url("CMH_TEST_GATEWAY_URL"), timeout=30) as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def register(client: httpx.AsyncClient, name: str) -> tuple[str, dict[str, str]]:
    email = f"exam-{uuid.uuid4().hex[:10]}@example.org"
    registered = await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": name},
    )
    assert registered.status_code == 201, registered.text
    return email, await login(client, email, PASSWORD)


async def new_instructor(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    email, first = await register(client, "Exam author")
    me = (await client.get("/api/v1/users/me", headers=first)).json()
    admin = await login(
        client, server_url("CMH_TEST_ADMIN_EMAIL"), server_url("CMH_TEST_ADMIN_PASSWORD")
    )
    promoted = await client.patch(
        f"/api/v1/admin/users/{me['id']}", headers=admin, json={"roles": ["learner", "instructor"]}
    )
    assert promoted.status_code == 200, promoted.text
    return me["id"], await login(client, email, PASSWORD)


async def course_with_a_quiz(
    client: httpx.AsyncClient, author: dict[str, str]
) -> tuple[str, str, str]:
    created = await client.post(
        "/api/v1/courses",
        headers=author,
        json={
            "title": f"Exam journey {uuid.uuid4().hex[:6]}",
            "provider": "aws",
            "level": "beginner",
            "summary": "Store, version and share objects in S3.",
        },
    )
    assert created.status_code == 201, created.text
    course_id = created.json()["id"]
    module = await client.post(
        f"/api/v1/courses/{course_id}/modules", headers=author, json={"title": "Basics"}
    )
    lessons = []
    for title, kind in (("Read about S3", "text"), ("S3 check", "quiz")):
        lesson = await client.post(
            f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
            headers=author,
            json={"title": title, "kind": kind, "duration_minutes": 5},
        )
        assert lesson.status_code == 201, lesson.text
        lessons.append(lesson.json()["id"])
    published = await client.post(f"/api/v1/courses/{course_id}/publish", headers=author)
    assert published.status_code == 200, published.text
    return course_id, lessons[0], lessons[1]


async def published_quiz(
    client: httpx.AsyncClient, author: dict[str, str], course_id: str, lesson_id: str | None
) -> tuple[str, dict[str, Any]]:
    question = await client.post(
        "/api/v1/assessments/questions",
        headers=author,
        json={
            "course_id": course_id,
            "kind": "single",
            "prompt": "Which service stores objects?",
            "choices": [{"id": "a", "text": "EC2"}, {"id": "b", "text": "S3"}],
            "key": {"choice_ids": ["b"]},
            "skills": ["storage"],
        },
    )
    assert question.status_code == 201, question.text
    body: dict[str, Any] = {
        "course_id": course_id,
        "kind": "quiz" if lesson_id else "exam",
        "title": "S3 check" if lesson_id else "Final exam",
        "question_ids": [question.json()["id"]],
    }
    if lesson_id:
        body["lesson_id"] = lesson_id
    quiz = await client.post("/api/v1/assessments/quizzes", headers=author, json=body)
    assert quiz.status_code == 201, quiz.text
    published = await client.post(
        f"/api/v1/assessments/quizzes/{quiz.json()['id']}/publish", headers=author
    )
    assert published.status_code == 200, published.text
    return quiz.json()["id"], {question.json()["id"]: "b"}


async def passed(
    client: httpx.AsyncClient, learner: dict[str, str], quiz_id: str, answers: dict[str, Any]
) -> None:
    started = await client.post(f"/api/v1/assessments/quizzes/{quiz_id}/attempts", headers=learner)
    assert started.status_code == 201, started.text
    attempt = started.json()
    assert "key" not in str(attempt)
    for question_id, value in answers.items():
        saved = await client.put(
            f"/api/v1/assessments/attempts/{attempt['id']}/answers/{question_id}",
            headers=learner,
            json={"value": value},
        )
        assert saved.status_code == 200, saved.text
    graded = await client.post(
        f"/api/v1/assessments/attempts/{attempt['id']}/submit", headers=learner
    )
    assert graded.status_code == 200, graded.text
    assert graded.json()["result"]["passed"] is True


async def test_take_the_quiz_pass_finish_the_course_and_verify_the_certificate(
    gateway: httpx.AsyncClient,
) -> None:
    _, author = await new_instructor(gateway)
    course_id, text_lesson, quiz_lesson = await course_with_a_quiz(gateway, author)
    quiz_id, quiz_answers = await published_quiz(gateway, author, course_id, quiz_lesson)
    exam_id, exam_answers = await published_quiz(gateway, author, course_id, None)
    _, learner = await register(gateway, "Exam Learner")
    enrolled = await gateway.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    assert enrolled.status_code == 201, enrolled.text

    lesson_quiz = await gateway.get(
        f"/api/v1/courses/{course_id}/lessons/{quiz_lesson}/quiz", headers=learner
    )
    assert (lesson_quiz.status_code, lesson_quiz.json()["id"]) == (200, quiz_id)
    await passed(gateway, learner, quiz_id, quiz_answers)

    async def quiz_lesson_done() -> bool:
        progress = await gateway.get(f"/api/v1/courses/{course_id}/progress", headers=learner)
        return quiz_lesson in progress.json().get("completed_lessons", [])

    await eventually(quiz_lesson_done)
    done = await gateway.post(
        f"/api/v1/courses/{course_id}/lessons/{text_lesson}/complete", headers=learner
    )
    assert done.status_code == 200, done.text
    await passed(gateway, learner, exam_id, exam_answers)

    async def certified() -> bool:
        mine = await gateway.get("/api/v1/certificates/me", headers=learner)
        return mine.status_code == 200 and len(mine.json()) == 1

    await eventually(certified)
    [certificate] = (await gateway.get("/api/v1/certificates/me", headers=learner)).json()
    verified = await gateway.get(f"/api/v1/certificates/verify/{certificate['code']}")
    assert verified.status_code == 200, verified.text
    assert (verified.json()["status"], verified.json()["signature_valid"]) == ("valid", True)
    assert verified.json()["learner_name"] == "Exam Learner"
    pdf = await gateway.get(f"/api/v1/certificates/{certificate['id']}.pdf", headers=learner)
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
