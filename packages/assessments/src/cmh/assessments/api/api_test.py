from __future__ import annotations

from datetime import timedelta
from typing import Any

from cmh.assessments.api.conftest import (
    ADMIN,
    BANK,
    COURSE,
    INSTRUCTOR,
    LEARNER,
    LESSON,
    OTHER,
    RIVAL,
    AssessmentsApi,
    Client,
    authored_quiz,
)

KEY_FIELDS = {"key", "choice_ids", "truth", "accepted", "tolerance", "explanation"}


def keys_in(body: Any, found: set[str] | None = None) -> set[str]:
    """Every field name anywhere in a JSON body."""
    found = set() if found is None else found
    if isinstance(body, dict):
        for name, value in body.items():
            found.add(name)
            keys_in(value, found)
    elif isinstance(body, list):
        for item in body:
            keys_in(item, found)
    return found


async def test_only_the_courses_instructor_or_an_admin_authors(
    client: Client, api: AssessmentsApi
) -> None:
    body = {"course_id": COURSE, **BANK[0][0]}
    refused = await client.post(
        "/api/v1/assessments/questions", json=body, headers=api.auth(LEARNER)
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_an_author")
    rival = await client.post("/api/v1/assessments/questions", json=body, headers=api.auth(RIVAL))
    assert (rival.status_code, rival.json()["code"]) == (403, "not_course_owner")
    unknown = await client.post(
        "/api/v1/assessments/questions",
        json={**body, "course_id": "nope"},
        headers=api.auth(ADMIN),
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "course_not_found")
    assert (await client.post("/api/v1/assessments/questions", json=body)).status_code == 401


async def test_bad_questions_and_quizzes_are_422_naming_the_field(
    client: Client, api: AssessmentsApi
) -> None:
    as_teacher = api.auth(INSTRUCTOR)
    two_right = await client.post(
        "/api/v1/assessments/questions",
        json={"course_id": COURSE, **BANK[0][0], "key": {"choice_ids": ["a", "b"]}},
        headers=as_teacher,
    )
    assert two_right.status_code == 422
    assert two_right.json()["code"] == "invalid_question"
    assert "key.choice_ids" in two_right.text
    negative = await client.post(
        "/api/v1/assessments/questions",
        json={"course_id": COURSE, **BANK[3][0], "points": 0},
        headers=as_teacher,
    )
    assert negative.status_code == 422
    assert "points" in negative.text
    foreign = await client.post(
        "/api/v1/assessments/quizzes",
        json={"course_id": COURSE, "lesson_id": LESSON, "title": "Q", "question_ids": ["zz"]},
        headers=as_teacher,
    )
    assert (foreign.status_code, foreign.json()["code"]) == (422, "invalid_quiz")


async def test_a_learner_takes_the_quiz_and_no_answer_shows_before_the_submit(
    client: Client, api: AssessmentsApi
) -> None:
    quiz, answers = await authored_quiz(client, api, time_limit_minutes=20)
    as_ada = api.auth(LEARNER)
    pre_submit: list[Any] = []
    lesson = await client.get(f"/api/v1/courses/{COURSE}/lessons/{LESSON}/quiz", headers=as_ada)
    assert lesson.status_code == 200, lesson.text
    assert (lesson.json()["id"], lesson.json()["question_count"]) == (quiz["id"], len(BANK))
    pre_submit.append(lesson.json())
    started = await client.post(
        f"/api/v1/assessments/quizzes/{quiz['id']}/attempts", headers=as_ada
    )
    assert started.status_code == 201, started.text
    attempt = started.json()
    pre_submit.append(attempt)
    assert attempt["deadline"].startswith("2026-03-02T09:20:00")
    assert sorted(q["id"] for q in attempt["questions"]) == sorted(answers)
    path = f"/api/v1/assessments/attempts/{attempt['id']}"
    for question_id, right in answers.items():
        saved = await client.put(
            f"{path}/answers/{question_id}", json={"value": right}, headers=as_ada
        )
        assert saved.status_code == 200, saved.text
        pre_submit.append(saved.json())
    api.clock.advance(timedelta(minutes=5))
    pre_submit.append((await client.get(path, headers=as_ada)).json())
    pre_submit.append(
        (await client.get(f"/api/v1/courses/{COURSE}/lessons/{LESSON}/quiz", headers=as_ada)).json()
    )
    assert keys_in(pre_submit) & KEY_FIELDS == set()
    # The ordering question's choices are not shown in the keyed order either.
    ordering = next(q for q in attempt["questions"] if q["kind"] == "ordering")
    assert [c["id"] for c in ordering["choices"]] == ["x", "y", "z"]

    submitted = await client.post(f"{path}/submit", headers=as_ada)
    assert submitted.status_code == 200, submitted.text
    result = submitted.json()["result"]
    assert (result["score"], result["max_score"], result["passed"]) == (6, 6, True)
    assert {s["skill"] for s in result["skills"]} == {"storage", "global"}
    assert "key" in keys_in(result)  # shown after grading, as the quiz allows
    again = await client.put(
        f"{path}/answers/{next(iter(answers))}", json={"value": "a"}, headers=as_ada
    )
    assert (again.status_code, again.json()["code"]) == (409, "attempt_closed")


async def test_another_learners_attempt_is_not_found_while_its_instructor_sees_it(
    client: Client, api: AssessmentsApi
) -> None:
    quiz, _ = await authored_quiz(client, api)
    started = await client.post(
        f"/api/v1/assessments/quizzes/{quiz['id']}/attempts", headers=api.auth(LEARNER)
    )
    path = f"/api/v1/assessments/attempts/{started.json()['id']}"
    hidden = await client.get(path, headers=api.auth(OTHER))
    assert (hidden.status_code, hidden.json()["code"]) == (404, "attempt_not_found")
    assert (await client.get(path, headers=api.auth(RIVAL))).status_code == 404
    assert (await client.get(path, headers=api.auth(INSTRUCTOR))).status_code == 200
    assert (await client.get(path, headers=api.auth(ADMIN))).status_code == 200
    stolen = await client.post(f"{path}/submit", headers=api.auth(OTHER))
    assert stolen.status_code == 404


async def test_attempt_limit_and_cool_down_are_409(client: Client, api: AssessmentsApi) -> None:
    quiz, _ = await authored_quiz(client, api, max_attempts=2, cooldown_minutes=60)
    start = f"/api/v1/assessments/quizzes/{quiz['id']}/attempts"
    first = await client.post(start, headers=api.auth(LEARNER))
    busy = await client.post(start, headers=api.auth(LEARNER))
    assert (busy.status_code, busy.json()["code"]) == (409, "attempt_in_progress")
    await client.post(
        f"/api/v1/assessments/attempts/{first.json()['id']}/submit", headers=api.auth(LEARNER)
    )
    api.clock.advance(timedelta(minutes=59))
    cooling = await client.post(start, headers=api.auth(LEARNER))
    assert (cooling.status_code, cooling.json()["code"]) == (409, "attempt_cooling_down")
    api.clock.advance(timedelta(minutes=1))
    second = await client.post(start, headers=api.auth(LEARNER))
    assert second.status_code == 201
    await client.post(
        f"/api/v1/assessments/attempts/{second.json()['id']}/submit", headers=api.auth(LEARNER)
    )
    api.clock.advance(timedelta(days=1))
    used_up = await client.post(start, headers=api.auth(LEARNER))
    assert (used_up.status_code, used_up.json()["code"]) == (409, "attempts_used_up")
    summary = await client.get(
        f"/api/v1/courses/{COURSE}/lessons/{LESSON}/quiz", headers=api.auth(LEARNER)
    )
    assert [a["number"] for a in summary.json()["attempts"]] == [1, 2]


async def test_time_runs_out_by_the_servers_clock(client: Client, api: AssessmentsApi) -> None:
    quiz, answers = await authored_quiz(client, api, time_limit_minutes=10, passing_percent=10)
    attempt = (
        await client.post(
            f"/api/v1/assessments/quizzes/{quiz['id']}/attempts", headers=api.auth(LEARNER)
        )
    ).json()
    path = f"/api/v1/assessments/attempts/{attempt['id']}"
    first, second = list(answers.items())[:2]
    api.clock.advance(timedelta(minutes=9))
    assert (
        await client.put(
            f"{path}/answers/{first[0]}", json={"value": first[1]}, headers=api.auth(LEARNER)
        )
    ).status_code == 200
    api.clock.advance(timedelta(minutes=2))
    late = await client.put(
        f"{path}/answers/{second[0]}", json={"value": second[1]}, headers=api.auth(LEARNER)
    )
    assert (late.status_code, late.json()["code"]) == (409, "attempt_time_is_up")
    graded = (await client.post(f"{path}/submit", headers=api.auth(LEARNER))).json()
    assert graded["status"] == "graded"
    assert (graded["result"]["score"], graded["result"]["passed"]) == (1, True)


async def test_an_abandoned_attempt_is_timed_out_when_the_next_one_starts(
    client: Client, api: AssessmentsApi
) -> None:
    quiz, answers = await authored_quiz(client, api, time_limit_minutes=10, passing_percent=10)
    start = f"/api/v1/assessments/quizzes/{quiz['id']}/attempts"
    first = (await client.post(start, headers=api.auth(LEARNER))).json()
    question_id, value = next(iter(answers.items()))
    await client.put(
        f"/api/v1/assessments/attempts/{first['id']}/answers/{question_id}",
        json={"value": value},
        headers=api.auth(LEARNER),
    )
    api.clock.advance(timedelta(minutes=30))
    second = await client.post(start, headers=api.auth(LEARNER))
    assert second.status_code == 201, second.text
    closed = (
        await client.get(f"/api/v1/assessments/attempts/{first['id']}", headers=api.auth(LEARNER))
    ).json()
    assert closed["status"] == "graded"
    assert (closed["result"]["score"], closed["result"]["passed"]) == (1, True)


async def test_wrong_answers_are_422_and_a_draft_quiz_cannot_be_taken(
    client: Client, api: AssessmentsApi
) -> None:
    quiz, answers = await authored_quiz(client, api)
    as_ada = api.auth(LEARNER)
    attempt = (
        await client.post(f"/api/v1/assessments/quizzes/{quiz['id']}/attempts", headers=as_ada)
    ).json()
    question_id = next(iter(answers))
    wrong_shape = await client.put(
        f"/api/v1/assessments/attempts/{attempt['id']}/answers/{question_id}",
        json={"value": ["a", "b"]},
        headers=as_ada,
    )
    assert (wrong_shape.status_code, wrong_shape.json()["code"]) == (422, "invalid_answer")
    draft = await client.post(
        "/api/v1/assessments/quizzes",
        json={"course_id": COURSE, "kind": "exam", "title": "Exam", "question_ids": [question_id]},
        headers=api.auth(INSTRUCTOR),
    )
    refused = await client.post(
        f"/api/v1/assessments/quizzes/{draft.json()['id']}/attempts", headers=as_ada
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "quiz_not_published")


async def test_item_statistics_for_the_instructor(client: Client, api: AssessmentsApi) -> None:
    quiz, answers = await authored_quiz(client, api)
    for learner, right in ((LEARNER, True), (OTHER, False)):
        headers = api.auth(learner)
        attempt = (
            await client.post(f"/api/v1/assessments/quizzes/{quiz['id']}/attempts", headers=headers)
        ).json()
        if right:
            for question_id, value in answers.items():
                await client.put(
                    f"/api/v1/assessments/attempts/{attempt['id']}/answers/{question_id}",
                    json={"value": value},
                    headers=headers,
                )
        await client.post(f"/api/v1/assessments/attempts/{attempt['id']}/submit", headers=headers)
    stats = await client.get(
        f"/api/v1/assessments/quizzes/{quiz['id']}/statistics", headers=api.auth(INSTRUCTOR)
    )
    assert stats.status_code == 200, stats.text
    body = stats.json()
    assert (body["graded_attempts"], body["pass_rate"]) == (2, 0.5)
    assert {item["difficulty"] for item in body["items"]} == {0.5}
    refused = await client.get(
        f"/api/v1/assessments/quizzes/{quiz['id']}/statistics", headers=api.auth(RIVAL)
    )
    assert refused.status_code == 403
