"""Grading throughput of assessments: submitting a 20-question attempt through the use
case (load the attempt and its pinned questions, grade, save, the outbox row of
``attempt.graded``, one commit) against the same grading without persistence (the
domain's ``Attempt.submit``, ``grade`` and ``record_grade`` on objects in memory); and
the time to render one certificate PDF.

    python -m tests.perf.assessments_bench      (SQLite in a temp folder; PostgreSQL too
                                                  when CMH_TEST_POSTGRES_URL is set)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.assessments.adapters.memory.services import MemoryCourseCatalog
from cmh.assessments.adapters.pdf.renderer import ReportlabCertificateRenderer
from cmh.assessments.adapters.sql.migrations import ASSESSMENTS_MIGRATIONS
from cmh.assessments.application.author_question import AuthorQuestion, NewQuestion
from cmh.assessments.application.create_quiz import CreateQuiz, NewQuiz, QuizRules
from cmh.assessments.application.publish_quiz import PublishQuiz
from cmh.assessments.application.question_specs import ChoiceSpec, KeySpec
from cmh.assessments.application.save_answer import SaveAnswer
from cmh.assessments.application.start_attempt import StartAttempt
from cmh.assessments.application.submit_attempt import SubmitAttempt
from cmh.assessments.domain.attempt import Attempt
from cmh.assessments.domain.grading import grade
from cmh.assessments.domain.questions import Choice, Key, Question, QuestionKind
from cmh.assessments.domain.quiz import Quiz, QuizKind, QuizSettings
from cmh.assessments.module import AssessmentsModule
from cmh.assessments.settings import AssessmentsSettings
from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, FrozenClock
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh_testing.kernel.overrides import adding, replacing
from cmh_testing.kernel.servers import fresh_postgres_database

QUESTIONS = 20
ATTEMPTS = 300
PDFS = 30
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
TEACHER = Principal(user_id="teacher", roles=frozenset({"instructor"}))
CHOICES = [ChoiceSpec(id=c, text=c.upper()) for c in "abcd"]


class _NoTokens:
    async def authenticate(self, token: str) -> Principal:
        raise AssertionError("the bench calls use cases with the principal")


def in_memory_rate() -> float:
    """The same work with no store: submit, grade and record the grade, per attempt."""
    questions = [
        Question.create(
            f"q{i}",
            course_id="c",
            owner_id="t",
            kind=QuestionKind.SINGLE,
            prompt="?",
            points=1,
            skills=(f"s{i % 4}",),
            choices=tuple(Choice(c.id, c.text) for c in CHOICES),
            key=Key(choice_ids=("b",)),
            now=NOW,
        )
        for i in range(QUESTIONS)
    ]
    quiz = Quiz.create(
        "quiz",
        course_id="c",
        lesson_id="l",
        owner_id="t",
        kind=QuizKind.QUIZ,
        title="bench",
        question_ids=tuple(q.id for q in questions),
        settings=QuizSettings(),
        now=NOW,
    )
    quiz.publish({q.id: 1 for q in questions}, NOW)
    attempts = []
    for n in range(ATTEMPTS):
        attempt = Attempt.start(f"a{n}", quiz=quiz, user_id=f"u{n}", previous=[], seed=n, now=NOW)
        for question in questions:
            attempt.answer(question, "b", NOW)
        attempts.append(attempt)
    began = time.perf_counter()
    for attempt in attempts:
        counted = attempt.submit(NOW + timedelta(minutes=1))
        attempt.record_grade(
            grade(questions, counted, lab_tasks_passed=(), passing_percent=70), NOW
        )
    return ATTEMPTS / (time.perf_counter() - began)


async def persisted_rate(database_url: str) -> float:
    clock = FrozenClock(NOW)
    container = compose(
        Profile.EMBEDDED,
        [AssessmentsModule()],
        context={
            AssessmentsSettings: AssessmentsSettings(),
            DatabaseSettings: DatabaseSettings(url=database_url),
            InProcessBus: InProcessBus(),
        },
        overrides=[replacing((Clock, clock)), adding((Authenticator, _NoTokens()))],
    )
    try:
        await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, ASSESSMENTS_MIGRATIONS])
        courses = await container.get(MemoryCourseCatalog)
        courses.add_course("c", owner_id=TEACHER.user_id, title="Bench")
        ids = []
        for _ in range(QUESTIONS):
            async with container() as request:
                created = await (await request.get(AuthorQuestion)).execute(
                    TEACHER,
                    NewQuestion(
                        course_id="c",
                        kind=QuestionKind.SINGLE,
                        prompt="?",
                        choices=CHOICES,
                        key=KeySpec(choice_ids=["b"]),
                    ),
                )
            ids.append(created.id)
        async with container() as request:
            quiz = await (await request.get(CreateQuiz)).execute(
                TEACHER,
                NewQuiz(
                    course_id="c", lesson_id="l", title="bench", question_ids=ids, rules=QuizRules()
                ),
            )
        async with container() as request:
            await (await request.get(PublishQuiz)).execute(TEACHER, quiz.id)
        attempts: list[tuple[Principal, str]] = []
        for n in range(ATTEMPTS):
            learner = Principal(user_id=f"u{n}", roles=frozenset({"learner"}))
            courses.enroll(learner.user_id, "c")
            async with container() as request:
                attempt = await (await request.get(StartAttempt)).execute(learner, quiz.id)
            for question_id in ids:
                async with container() as request:
                    await (await request.get(SaveAnswer)).execute(
                        learner, attempt.id, question_id, "b"
                    )
            attempts.append((learner, attempt.id))
        began = time.perf_counter()
        for learner, attempt_id in attempts:
            async with container() as request:
                await (await request.get(SubmitAttempt)).execute(learner, attempt_id)
        return ATTEMPTS / (time.perf_counter() - began)
    finally:
        await container.close()


def pdf_milliseconds() -> float:
    renderer = ReportlabCertificateRenderer()
    spans = []
    for n in range(PDFS):
        began = time.perf_counter()
        renderer.render(
            learner_name=f"Learner {n}",
            course_title="AWS Cloud Practitioner Essentials",
            issued_at=NOW,
            code=f"CMH-0000-0000-{n:04d}",
            verify_url=f"https://cloudmastershub.example/api/v1/certificates/verify/CMH-{n:04d}",
        )
        spans.append((time.perf_counter() - began) * 1000)
    return statistics.median(spans[1:])  # the first pays for imports and font loading


async def main() -> None:
    memory = in_memory_rate()
    print(f"grading without persistence: {memory:,.0f} attempts/s ({QUESTIONS} questions each)")
    with tempfile.TemporaryDirectory() as folder:
        sqlite = await persisted_rate(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
    print(f"submit and grade, SQLite:    {sqlite:,.0f} attempts/s ({sqlite / memory:.1%} of that)")
    if os.environ.get("CMH_TEST_POSTGRES_URL"):
        async with fresh_postgres_database("cmh_bench") as url:
            postgres = await persisted_rate(url)
        print(f"submit and grade, PostgreSQL: {postgres:,.0f} attempts/s ({postgres / memory:.1%})")
    print(f"certificate PDF: {pdf_milliseconds():.1f} ms per certificate (median of {PDFS - 1})")


if __name__ == "__main__":
    asyncio.run(main())
