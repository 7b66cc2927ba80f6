"""One contract for every store implementation (see conftest: memory, SQLite, PG)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from cmh.assessments.adapters.sql.conftest import Stores
from cmh.assessments.domain.attempt import Attempt
from cmh.assessments.domain.certificate import Certificate
from cmh.assessments.domain.grading import grade
from cmh.assessments.domain.questions import Choice, Key, Question, QuestionKind
from cmh.assessments.domain.quiz import Quiz, QuizKind, QuizSettings
from cmh.kernel.errors import Conflict

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def question(course_id: str, version: int = 1, prompt: str = "Pick S3") -> Question:
    return Question.create(
        "q-" + course_id,
        version=version,
        course_id=course_id,
        owner_id="teacher",
        kind=QuestionKind.SINGLE,
        prompt=prompt,
        points=2,
        skills=("storage",),
        choices=(Choice("a", "EC2"), Choice("b", "S3")),
        key=Key(choice_ids=("b",)),
        now=NOW,
    )


async def test_question_versions_are_kept_and_the_pinned_one_is_read(stores: Stores) -> None:
    course = unique("c")
    opened = await stores.open()
    await opened.questions.add(question(course))
    await opened.questions.add(question(course, version=2, prompt="Pick S3, really"))
    await opened.commit()
    opened = await stores.open()
    latest = await opened.questions.latest("q-" + course)
    assert latest is not None
    assert (latest.version, latest.prompt) == (2, "Pick S3, really")
    [bank] = await opened.questions.latest_of_course(course)
    assert bank.version == 2
    quiz = Quiz.create(
        unique("quiz"),
        course_id=course,
        lesson_id="l1",
        owner_id="teacher",
        kind=QuizKind.QUIZ,
        title="S3",
        question_ids=("q-" + course,),
        settings=QuizSettings(time_limit=timedelta(minutes=5)),
        now=NOW,
    )
    quiz.publish({"q-" + course: 1}, NOW)
    [pinned] = await opened.questions.versions(quiz.pool)
    assert pinned == question(course)
    with pytest.raises(Conflict):
        await opened.questions.add(question(course, version=2))


async def test_quizzes_and_attempts_round_trip_with_versions(stores: Stores) -> None:
    course = unique("c")
    opened = await stores.open()
    await opened.questions.add(question(course))
    quiz = Quiz.create(
        unique("quiz"),
        course_id=course,
        lesson_id=None,
        owner_id="teacher",
        kind=QuizKind.EXAM,
        title="Final",
        question_ids=("q-" + course,),
        settings=QuizSettings(time_limit=timedelta(minutes=5), max_attempts=2),
        now=NOW,
    )
    await opened.quizzes.add(quiz)
    await opened.commit()

    opened = await stores.open()
    stored = await opened.quizzes.get(quiz.id)
    assert stored is not None
    stored.publish({"q-" + course: 1}, NOW)
    await opened.quizzes.save(stored)
    await opened.commit()
    stale = quiz
    opened = await stores.open()
    with pytest.raises(Conflict):
        await opened.quizzes.save(stale)

    opened = await stores.open()
    published = await opened.quizzes.get(quiz.id)
    assert published is not None
    assert published.settings == quiz.settings
    attempt = Attempt.start(
        unique("a"), quiz=published, user_id="ada", previous=[], seed=3, now=NOW
    )
    await opened.attempts.add(attempt)
    await opened.commit()

    opened = await stores.open()
    found = await opened.attempts.get(attempt.id)
    assert found is not None
    [pinned] = await opened.questions.versions(found.questions)
    found.answer(pinned, "b", NOW + timedelta(minutes=1))
    counted = found.submit(NOW + timedelta(minutes=2))
    found.record_grade(grade([pinned], counted, lab_tasks_passed=(), passing_percent=50), NOW)
    await opened.attempts.save(found)
    await opened.commit()

    opened = await stores.open()
    [again] = await opened.attempts.of_learner(quiz.id, "ada")
    assert again.grade is not None
    assert (again.grade.score, again.grade.passed, again.answers[pinned.id].value) == (
        2,
        True,
        "b",
    )
    assert [a.id for a in await opened.attempts.of_user("ada") if a.quiz_id == quiz.id] == [
        attempt.id
    ]
    assert len(await opened.attempts.of_quiz(quiz.id)) == 1


async def test_one_certificate_per_learner_and_course(stores: Stores) -> None:
    course = unique("c")

    def certificate(code: str) -> Certificate:
        return Certificate.issue(
            unique("cert"),
            code=code,
            user_id="ada",
            course_id=course,
            course_title="AWS",
            learner_name="Ada",
            verify_url="https://x/verify",
            lab_tasks=(),
            credential={"proof": {"proofValue": "z1"}},
            now=NOW,
        )

    opened = await stores.open()
    first = certificate(unique("CMH"))
    await opened.certificates.add(first)
    await opened.commit()
    opened = await stores.open()
    with pytest.raises(Conflict):
        await opened.certificates.add(certificate(unique("CMH")))
    opened = await stores.open()
    found = await opened.certificates.by_code(first.code)
    assert found is not None
    assert found.credential == first.credential
    found.revoke("fraud", NOW)
    await opened.certificates.save(found)
    await opened.commit()
    opened = await stores.open()
    kept = await opened.certificates.for_course("ada", course)
    assert kept is not None
    assert kept.revocation_reason == "fraud"


async def test_learner_records_and_forgetting(stores: Stores) -> None:
    user = unique("u")
    opened = await stores.open()
    await opened.records.record_completion(user, "c1", NOW)
    await opened.records.record_completion(user, "c1", NOW)
    await opened.records.record_lab_tasks(user, "tpl", ["t1", "t2", "t1"], NOW)
    await opened.records.record_name(user, "Ada")
    await opened.records.record_name(user, "Ada L.")
    await opened.records.record_course("c1", "AWS")
    await opened.commit()
    opened = await stores.open()
    assert await opened.records.completed(user, "c1")
    assert await opened.records.lab_tasks(user) == {("tpl", "t1"), ("tpl", "t2")}
    assert await opened.records.name_of(user) == "Ada L."
    assert await opened.records.course_title("c1") == "AWS"
    await opened.records.forget(user)
    await opened.commit()
    opened = await stores.open()
    assert not await opened.records.completed(user, "c1")
    assert await opened.records.name_of(user) is None


async def test_uncommitted_work_is_gone(stores: Stores) -> None:
    course = unique("c")
    opened = await stores.open()
    await opened.questions.add(question(course))
    opened = await stores.open()
    assert await opened.questions.latest("q-" + course) is None


async def test_abandoned_attempts_are_the_open_ones_past_their_deadline(stores: Stores) -> None:
    course = unique("c")
    opened = await stores.open()
    await opened.questions.add(question(course))
    quiz = Quiz.create(
        unique("quiz"),
        course_id=course,
        lesson_id="l1",
        owner_id="teacher",
        kind=QuizKind.QUIZ,
        title="Timed",
        question_ids=("q-" + course,),
        settings=QuizSettings(time_limit=timedelta(minutes=5)),
        now=NOW,
    )
    quiz.publish({"q-" + course: 1}, NOW)
    await opened.quizzes.add(quiz)
    left = Attempt.start(unique("a"), quiz=quiz, user_id="ada", previous=[], seed=1, now=NOW)
    later = Attempt.start(
        unique("a"), quiz=quiz, user_id="bob", previous=[], seed=2, now=NOW + timedelta(hours=1)
    )
    await opened.attempts.add(left)
    await opened.attempts.add(later)
    await opened.commit()

    def ours(found: list[Attempt]) -> list[str]:
        return [a.id for a in found if a.quiz_id == quiz.id]

    opened = await stores.open()
    assert ours(await opened.attempts.abandoned(NOW + timedelta(minutes=4), 1000)) == []
    assert ours(await opened.attempts.abandoned(NOW + timedelta(minutes=10), 1000)) == [left.id]
    assert ours(await opened.attempts.abandoned(NOW + timedelta(hours=2), 1000)) == [
        left.id,
        later.id,
    ]

    found = await opened.attempts.get(left.id)
    assert found is not None
    found.submit(NOW + timedelta(minutes=10))
    await opened.attempts.save(found)
    await opened.commit()
    opened = await stores.open()
    assert ours(await opened.attempts.abandoned(NOW + timedelta(hours=2), 1000)) == [later.id]
