"""The attempt sweeper: an attempt the learner left open past its deadline is closed and
graded by the server, with what was saved by the deadline, and ``attempt.graded`` is
published once, without the learner coming back."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.assessments.api.conftest import LEARNER, OTHER, AssessmentsApi, Client, authored_quiz
from cmh.assessments.timers import close_abandoned_once
from cmh.kernel.sql.tables import outbox


async def graded_events(api: AssessmentsApi) -> list[dict[str, Any]]:
    engine = await api.container.get(AsyncEngine)
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(outbox.c.payload).where(outbox.c.event_type == "attempt.graded")
        )
        return [json.loads(row.payload)["data"] for row in rows]


async def test_an_abandoned_attempt_is_closed_and_graded_by_the_sweeper(
    client: Client, api: AssessmentsApi
) -> None:
    quiz, answers = await authored_quiz(client, api, time_limit_minutes=10, passing_percent=10)
    start = f"/api/v1/assessments/quizzes/{quiz['id']}/attempts"
    left = (await client.post(start, headers=api.auth(LEARNER))).json()
    running = (await client.post(start, headers=api.auth(OTHER))).json()
    question_id, value = next(iter(answers.items()))
    saved = await client.put(
        f"/api/v1/assessments/attempts/{left['id']}/answers/{question_id}",
        json={"value": value},
        headers=api.auth(LEARNER),
    )
    assert saved.status_code == 200, saved.text

    api.clock.advance(timedelta(minutes=9))
    assert await close_abandoned_once(api.container) == []  # nothing is past its deadline yet
    # The other learner's attempt started at the same time but gets an extension of sorts:
    # it is submitted before the sweeper's next pass, so the submit wins.
    api.clock.advance(timedelta(seconds=30))
    submitted = await client.post(
        f"/api/v1/assessments/attempts/{running['id']}/submit", headers=api.auth(OTHER)
    )
    assert submitted.status_code == 200, submitted.text

    api.clock.advance(timedelta(minutes=2))
    assert await close_abandoned_once(api.container) == [left["id"]]
    closed = (
        await client.get(f"/api/v1/assessments/attempts/{left['id']}", headers=api.auth(LEARNER))
    ).json()
    assert closed["status"] == "graded"
    assert (closed["result"]["score"], closed["result"]["passed"]) == (1, True)

    # A second pass finds nothing more: one attempt.graded per attempt, ever.
    assert await close_abandoned_once(api.container) == []
    events = await graded_events(api)
    assert sorted((e["attempt_id"], e["timed_out"]) for e in events) == sorted(
        [(left["id"], True), (running["id"], False)]
    )
