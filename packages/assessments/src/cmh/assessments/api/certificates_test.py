from __future__ import annotations

import copy
import io
from datetime import UTC, datetime
from typing import Any

from pypdf import PdfReader

from cmh.assessments.api.conftest import (
    ADMIN,
    COURSE,
    LEARNER,
    OTHER,
    AssessmentsApi,
    Client,
    authored_quiz,
)
from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.courses import CourseCompletedV1, CoursePublishedV1
from cmh.contracts.events.labs import LabTaskValidatedV1
from cmh.contracts.events.users import UserErasureRequestedV1, UserRegisteredV1
from cmh_testing.assessments import delivered as deliver_to

COMPLETED = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def delivered(api: AssessmentsApi, event: IntegrationEvent, event_id: str) -> None:
    await deliver_to(api.container, event, event_id)


async def published_course(api: AssessmentsApi) -> None:
    await delivered(
        api,
        CoursePublishedV1(
            course_id=COURSE,
            owner_id="teacher",
            title="AWS Essentials",
            provider="aws",
            level="beginner",
            tags=[],
            published_at=COMPLETED,
        ),
        "published-1",
    )


def completed(user_id: str = LEARNER.user_id) -> CourseCompletedV1:
    return CourseCompletedV1(
        enrollment_id="e1", course_id=COURSE, user_id=user_id, completed_at=COMPLETED
    )


async def passed_exam(
    client: Client, api: AssessmentsApi, answers: dict[str, Any], quiz: dict[str, Any]
) -> None:
    headers = api.auth(LEARNER)
    attempt = (
        await client.post(f"/api/v1/assessments/quizzes/{quiz['id']}/attempts", headers=headers)
    ).json()
    for question_id, value in answers.items():
        await client.put(
            f"/api/v1/assessments/attempts/{attempt['id']}/answers/{question_id}",
            json={"value": value},
            headers=headers,
        )
    graded = await client.post(
        f"/api/v1/assessments/attempts/{attempt['id']}/submit", headers=headers
    )
    assert graded.json()["result"]["passed"] is True


async def test_a_redelivered_course_completed_issues_one_certificate(
    client: Client, api: AssessmentsApi
) -> None:
    await delivered(
        api,
        UserRegisteredV1(
            user_id=LEARNER.user_id, email="a@x.dev", display_name="Ada Lovelace", role="learner"
        ),
        "reg-1",
    )
    await published_course(api)
    await delivered(api, completed(), "done-1")
    await delivered(api, completed(), "done-1")  # the same message again
    await delivered(api, completed(), "done-2")  # the same fact, told twice
    mine = (await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json()
    assert len(mine) == 1
    assert (mine[0]["learner_name"], mine[0]["course_title"]) == ("Ada Lovelace", "AWS Essentials")
    assert (await client.get("/api/v1/certificates/me", headers=api.auth(OTHER))).json() == []


async def test_a_course_with_an_exam_certifies_once_the_exam_is_passed(
    client: Client, api: AssessmentsApi
) -> None:
    exam, answers = await authored_quiz(client, api, kind="exam")
    await delivered(api, completed(), "done-1")
    assert (await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json() == []
    await passed_exam(client, api, answers, exam)
    [certificate] = (await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json()
    assert certificate["status"] == "valid"


async def test_the_pdf_the_public_verification_and_revocation(
    client: Client, api: AssessmentsApi
) -> None:
    await published_course(api)
    await delivered(api, completed(), "done-1")
    [certificate] = (await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json()
    pdf = await client.get(
        f"/api/v1/certificates/{certificate['id']}.pdf", headers=api.auth(LEARNER)
    )
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert certificate["code"] in text
    assert "AWS Essentials" in text
    others = await client.get(
        f"/api/v1/certificates/{certificate['id']}.pdf", headers=api.auth(OTHER)
    )
    assert others.status_code == 404

    verified = await client.get(f"/api/v1/certificates/verify/{certificate['code']}")
    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert (body["status"], body["signature_valid"]) == ("valid", True)
    credential = body["credential"]
    assert "OpenBadgeCredential" in credential["type"]
    keys = (await client.get("/api/v1/certificates/keys")).json()["keys"]
    assert credential["proof"]["verificationMethod"].endswith("#" + keys[0]["kid"])
    unknown = (await client.get("/api/v1/certificates/verify/CMH-0000-0000-0000")).json()
    assert unknown["status"] == "unknown"

    refused = await client.post(
        f"/api/v1/admin/certificates/{certificate['id']}/revoke",
        json={"reason": "exam fraud"},
        headers=api.auth(LEARNER),
    )
    assert refused.status_code == 403
    revoked = await client.post(
        f"/api/v1/admin/certificates/{certificate['id']}/revoke",
        json={"reason": "exam fraud"},
        headers=api.auth(ADMIN),
    )
    assert revoked.status_code == 200, revoked.text
    after = (await client.get(f"/api/v1/certificates/verify/{certificate['code']}")).json()
    assert (after["status"], after["revocation_reason"]) == ("revoked", "exam fraud")
    twice = await client.post(
        f"/api/v1/admin/certificates/{certificate['id']}/revoke",
        json={"reason": "again"},
        headers=api.auth(ADMIN),
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "certificate_already_revoked")


async def test_a_tampered_credential_fails_verification(
    client: Client, api: AssessmentsApi
) -> None:
    from cmh.assessments.application.ports import CredentialSigner

    await delivered(api, completed(), "done-1")
    [certificate] = (await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json()
    credential = (await client.get(f"/api/v1/certificates/verify/{certificate['code']}")).json()[
        "credential"
    ]
    signer = await api.container.get(CredentialSigner)
    assert signer.verify(credential)
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["achievement"]["name"] = "Kubernetes Expert"
    assert not signer.verify(forged)


async def test_lab_tasks_count_for_lab_questions_and_appear_as_evidence(
    client: Client, api: AssessmentsApi
) -> None:
    from cmh.assessments.api.conftest import INSTRUCTOR, LESSON

    as_teacher = api.auth(INSTRUCTOR)
    question = await client.post(
        "/api/v1/assessments/questions",
        json={
            "course_id": COURSE,
            "kind": "lab_task",
            "prompt": "Version the logs bucket in the S3 lab",
            "key": {"lab_template_id": "tpl-s3", "lab_task_id": "logs-bucket"},
        },
        headers=as_teacher,
    )
    quiz = await client.post(
        "/api/v1/assessments/quizzes",
        json={
            "course_id": COURSE,
            "lesson_id": LESSON,
            "title": "Lab check",
            "question_ids": [question.json()["id"]],
        },
        headers=as_teacher,
    )
    await client.post(
        f"/api/v1/assessments/quizzes/{quiz.json()['id']}/publish", headers=as_teacher
    )
    start = f"/api/v1/assessments/quizzes/{quiz.json()['id']}/attempts"
    first = (await client.post(start, headers=api.auth(LEARNER))).json()
    failed = await client.post(
        f"/api/v1/assessments/attempts/{first['id']}/submit", headers=api.auth(LEARNER)
    )
    assert failed.json()["result"]["passed"] is False
    validated = LabTaskValidatedV1(
        session_id="s1",
        user_id=LEARNER.user_id,
        template_id="tpl-s3",
        passed_task_ids=["logs-bucket"],
        score=10,
        max_score=10,
        validated_at=COMPLETED,
    )
    await delivered(api, validated, "lab-1")
    await delivered(api, validated, "lab-1")
    second = (await client.post(start, headers=api.auth(LEARNER))).json()
    passed = await client.post(
        f"/api/v1/assessments/attempts/{second['id']}/submit", headers=api.auth(LEARNER)
    )
    assert passed.json()["result"]["passed"] is True
    await delivered(api, completed(), "done-1")
    [certificate] = (await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json()
    assert certificate["lab_tasks"] == ["tpl-s3/logs-bucket"]
    credential = (await client.get(f"/api/v1/certificates/verify/{certificate['code']}")).json()[
        "credential"
    ]
    assert credential["evidence"][0]["name"] == "Lab task passed: tpl-s3/logs-bucket"


async def test_a_flagged_exam_is_held_until_an_instructor_decides(
    client: Client, api: AssessmentsApi
) -> None:
    from cmh.assessments.api.conftest import INSTRUCTOR

    exam, answers = await authored_quiz(client, api, kind="exam", proctored=True)
    (await api.proctoring()).flag(LEARNER.user_id, "second person in view")
    await delivered(api, completed(), "done-1")
    headers = api.auth(LEARNER)
    attempt = (
        await client.post(f"/api/v1/assessments/quizzes/{exam['id']}/attempts", headers=headers)
    ).json()
    for question_id, value in answers.items():
        await client.put(
            f"/api/v1/assessments/attempts/{attempt['id']}/answers/{question_id}",
            json={"value": value},
            headers=headers,
        )
    held = (
        await client.post(f"/api/v1/assessments/attempts/{attempt['id']}/submit", headers=headers)
    ).json()
    assert (held["status"], held["result"]["passed"]) == ("held_for_review", None)
    assert held["held_reasons"] == ["second person in view"]
    assert (await client.get("/api/v1/certificates/me", headers=headers)).json() == []
    cleared = await client.post(
        f"/api/v1/assessments/attempts/{attempt['id']}/review",
        json={"cleared": True},
        headers=api.auth(INSTRUCTOR),
    )
    assert cleared.json()["status"] == "graded"
    assert len((await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json()) == 1


async def test_an_erased_learner_is_no_longer_named(client: Client, api: AssessmentsApi) -> None:
    await delivered(
        api,
        UserRegisteredV1(
            user_id=LEARNER.user_id, email="a@x.dev", display_name="Ada Lovelace", role="learner"
        ),
        "reg-1",
    )
    await delivered(api, completed(), "done-1")
    [certificate] = (await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json()
    await delivered(api, UserErasureRequestedV1(user_id=LEARNER.user_id), "erase-1")
    page = (await client.get(f"/api/v1/certificates/verify/{certificate['code']}")).json()
    assert page["status"] == "valid"
    assert "Ada" not in str(page)
    assert page["credential"] is None
    assert (await client.get("/api/v1/certificates/me", headers=api.auth(LEARNER))).json() == []
