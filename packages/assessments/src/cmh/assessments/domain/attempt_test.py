from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.assessments.domain.attempt import Attempt, AttemptStatus
from cmh.assessments.domain.errors import (
    AttemptClosed,
    AttemptInProgress,
    AttemptsUsedUp,
    CoolingDown,
    TimeIsUp,
)
from cmh.assessments.domain.events import AttemptGraded, AttemptStarted
from cmh.assessments.domain.grading import grade
from cmh.assessments.domain.questions import Key, Question, QuestionKind
from cmh.assessments.domain.quiz import Quiz, QuizKind, QuizSettings, draw_questions

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def truths(count: int) -> list[Question]:
    return [
        Question.create(
            f"q{i}",
            course_id="c1",
            owner_id="teacher",
            kind=QuestionKind.TRUE_FALSE,
            prompt=f"Statement {i}",
            points=1,
            skills=("s3",) if i % 2 else ("iam",),
            key=Key(truth=True),
            now=NOW,
        )
        for i in range(count)
    ]


def published(settings: QuizSettings, pool: int = 4) -> Quiz:
    quiz = Quiz.create(
        "quiz-1",
        course_id="c1",
        lesson_id="l1",
        owner_id="teacher",
        kind=QuizKind.QUIZ,
        title="S3 basics",
        question_ids=tuple(f"q{i}" for i in range(pool)),
        settings=settings,
        now=NOW,
    )
    quiz.publish({f"q{i}": 1 for i in range(pool)}, NOW)
    return quiz


def started(quiz: Quiz, previous: list[Attempt], now: datetime, seed: int = 7) -> Attempt:
    return Attempt.start(
        f"a{len(previous) + 1}", quiz=quiz, user_id="ada", previous=previous, seed=seed, now=now
    )


def test_an_attempt_is_answered_submitted_and_graded() -> None:
    quiz = published(QuizSettings(time_limit=timedelta(minutes=10), passing_percent=50))
    questions = {q.id: q for q in truths(4)}
    attempt = started(quiz, [], NOW)
    assert isinstance(attempt.events[0], AttemptStarted)
    assert attempt.deadline == NOW + timedelta(minutes=10)
    for pinned in attempt.questions[:2]:
        attempt.answer(questions[pinned.question_id], True, NOW + timedelta(minutes=1))
    assert attempt.status is AttemptStatus.ANSWERING
    counted = attempt.submit(NOW + timedelta(minutes=5))
    result = grade(list(questions.values()), counted, lab_tasks_passed=(), passing_percent=50)
    attempt.record_grade(result, NOW + timedelta(minutes=5))
    assert str(attempt.status) == "graded"
    graded = attempt.events[-1]
    assert isinstance(graded, AttemptGraded)
    assert (graded.score, graded.max_score, graded.passed, graded.timed_out) == (2, 4, True, False)
    assert {s.skill for s in graded.skills} == {"s3", "iam"}
    with pytest.raises(AttemptClosed):
        attempt.answer(questions["q0"], False, NOW + timedelta(minutes=6))


def test_a_late_submit_is_a_time_out_graded_with_what_was_saved_by_the_deadline() -> None:
    quiz = published(QuizSettings(time_limit=timedelta(minutes=10)))
    questions = {q.id: q for q in truths(4)}
    attempt = started(quiz, [], NOW)
    attempt.answer(questions["q1"], True, NOW + timedelta(minutes=9, seconds=59))
    with pytest.raises(TimeIsUp):
        attempt.answer(questions["q2"], True, NOW + timedelta(minutes=10, seconds=1))
    counted = attempt.submit(NOW + timedelta(hours=2))
    assert attempt.status is AttemptStatus.TIMED_OUT
    assert counted == {"q1": True}
    attempt.record_grade(grade(truths(4), counted, lab_tasks_passed=(), passing_percent=70), NOW)
    event = attempt.events[-1]
    assert isinstance(event, AttemptGraded)
    assert event.timed_out
    assert not event.passed


def test_the_draw_is_reproducible_from_the_seed() -> None:
    quiz = published(QuizSettings(questions_per_attempt=3), pool=10)
    first = draw_questions(quiz.pool, 3, seed=42)
    assert first == draw_questions(quiz.pool, 3, seed=42)
    assert len(first) == 3
    assert len(set(first)) == 3
    assert {draw_questions(quiz.pool, 3, seed=s) for s in range(20)} != {first}


@given(
    limit=st.integers(min_value=1, max_value=5),
    cooldown_minutes=st.integers(min_value=0, max_value=120),
    wait_minutes=st.integers(min_value=0, max_value=240),
)
def test_attempt_and_cool_down_limits(limit: int, cooldown_minutes: int, wait_minutes: int) -> None:
    cooldown = timedelta(minutes=cooldown_minutes)
    quiz = published(QuizSettings(max_attempts=limit, cooldown=cooldown))
    previous: list[Attempt] = []
    now = NOW
    for _ in range(limit):
        attempt = started(quiz, previous, now)
        with pytest.raises(AttemptInProgress):
            started(quiz, [*previous, attempt], now)
        attempt.submit(now + timedelta(minutes=1))
        previous.append(attempt)
        now = now + timedelta(minutes=1) + cooldown
    with pytest.raises(AttemptsUsedUp):
        started(quiz, previous, now + timedelta(days=365))
    # One fewer attempt taken: the next may start exactly when the cool-down ends.
    taken = previous[:-1]
    if taken and cooldown:
        finished = taken[-1].finished_at()
        retry_at = finished + timedelta(minutes=wait_minutes)
        if retry_at < finished + cooldown:
            with pytest.raises(CoolingDown):
                started(quiz, taken, retry_at)
        else:
            assert started(quiz, taken, retry_at).number == len(taken) + 1
