"""Assessments through the embedded platform: the free learner enrolls in the demo AWS
course, takes its quiz lesson's quiz (assessments, reached under courses' path) and
passes, finishes the other lessons, passes the course's final exam, and receives the
certificate (courses -> course.completed -> assessments in process); anyone verifies it
without signing in, and the PDF carries its code."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from pypdf import PdfReader

from cmh.users.demo_seed import DEMO_ACCOUNTS
from tests.e2e.support import eventually, mails, pass_quiz, right_answer

Client = AsyncTestClient[Any]
LEARNER, INSTRUCTOR, _, _ = DEMO_ACCOUNTS
COURSE_TITLE = "AWS Cloud Practitioner Essentials"


async def _auth(client: Client, account: Any) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": account.password}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def test_take_the_quiz_pass_finish_the_course_and_verify_the_certificate(
    platform: Client, tmp_path: Path
) -> None:
    learner = await _auth(platform, LEARNER)
    instructor = await _auth(platform, INSTRUCTOR)
    catalog = (await platform.get("/api/v1/courses", params={"provider": "aws"})).json()
    course_id = next(c["id"] for c in catalog["items"] if c["title"] == COURSE_TITLE)
    course = (await platform.get(f"/api/v1/courses/{course_id}")).json()
    lessons = [(lesson["id"], lesson["kind"]) for m in course["modules"] for lesson in m["lessons"]]
    assert (
        await platform.post(f"/api/v1/courses/{course_id}/enrollments", headers=learner)
    ).status_code == 201
    bank = await platform.get(
        "/api/v1/assessments/questions", params={"course_id": course_id}, headers=instructor
    )
    assert bank.status_code == 200, bank.text
    keys = {q["id"]: right_answer(q) for q in bank.json()}
    refused = await platform.get(
        "/api/v1/assessments/questions", params={"course_id": course_id}, headers=learner
    )
    assert refused.status_code == 403

    [quiz_lesson] = [lesson_id for lesson_id, kind in lessons if kind == "quiz"]
    await pass_quiz(platform, learner, course_id, quiz_lesson, keys)

    async def quiz_lesson_done() -> bool:
        progress = await platform.get(f"/api/v1/courses/{course_id}/progress", headers=learner)
        return quiz_lesson in progress.json()["completed_lessons"]

    await eventually(quiz_lesson_done)
    for lesson_id, kind in lessons:
        if kind != "quiz":
            done = await platform.post(
                f"/api/v1/courses/{course_id}/lessons/{lesson_id}/complete", headers=learner
            )
            assert done.status_code == 200, done.text
    assert (await platform.get("/api/v1/certificates/me", headers=learner)).json() == []
    await pass_quiz(platform, learner, course_id, "exam", keys)

    async def certified() -> bool:
        mine = await platform.get("/api/v1/certificates/me", headers=learner)
        return len(mine.json()) == 1

    await eventually(certified)
    [certificate] = (await platform.get("/api/v1/certificates/me", headers=learner)).json()
    assert certificate["course_title"] == COURSE_TITLE
    assert certificate["learner_name"] == LEARNER.display_name

    anonymous = await platform.get(f"/api/v1/certificates/verify/{certificate['code']}")
    assert anonymous.status_code == 200, anonymous.text
    verified = anonymous.json()
    assert (verified["status"], verified["signature_valid"]) == ("valid", True)
    assert verified["credential"]["credentialSubject"]["name"] == LEARNER.display_name
    keys_page = await platform.get("/api/v1/certificates/keys")
    assert keys_page.status_code == 200
    assert (await platform.get("/api/v1/certificates/me")).status_code == 401

    pdf = await platform.get(f"/api/v1/certificates/{certificate['id']}.pdf", headers=learner)
    assert pdf.status_code == 200
    assert certificate["code"] in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()

    # Notifications heard both: the passed attempts and the certificate, in the inbox and
    # by mail (the certificate's mail carries its public verification code).
    async def told() -> bool:
        page = await platform.get("/api/v1/notifications/me", headers=learner)
        kinds = [n["kind"] for n in page.json()["items"]]
        return "certificate.issued" in kinds and "attempt.passed" in kinds

    await eventually(told)

    async def mailed() -> bool:
        return any(certificate["code"] in m.text for m in mails(tmp_path, LEARNER.email))

    await eventually(mailed)
