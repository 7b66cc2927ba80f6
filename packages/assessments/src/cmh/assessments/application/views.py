"""What the use cases answer with: msgspec Structs that are also the HTTP response shapes.

Two views of a question: ``QuestionView`` (its author's, with the key) and
``AskedQuestion`` (a learner's, without it). Every learner-facing view below is built from
``AskedQuestion`` only; the key reaches a learner in ``Review`` after grading, and only
when the quiz shows answers after grading."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec

from cmh.assessments.domain.attempt import Attempt
from cmh.assessments.domain.certificate import Certificate
from cmh.assessments.domain.grading import Grade
from cmh.assessments.domain.questions import AnswerValue, Question, QuestionKind
from cmh.assessments.domain.quiz import Quiz, QuizSettings
from cmh.assessments.domain.statistics import ItemStatistics


def minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


class ChoiceView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    text: str


class KeyView(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    choice_ids: list[str] = []
    truth: bool | None = None
    value: float | None = None
    tolerance: float = 0.0
    accepted: list[str] = []
    lab_template_id: str | None = None
    lab_task_id: str | None = None


class QuestionView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    version: int
    course_id: str
    kind: str
    prompt: str
    points: int
    explanation: str
    skills: list[str]
    choices: list[ChoiceView]
    key: KeyView
    created_at: datetime


def key_view(question: Question) -> KeyView:
    key = question.key
    return KeyView(
        choice_ids=list(key.choice_ids),
        truth=key.truth,
        value=key.value,
        tolerance=key.tolerance,
        accepted=list(key.accepted),
        lab_template_id=key.lab_template_id,
        lab_task_id=key.lab_task_id,
    )


def question_view(question: Question) -> QuestionView:
    return QuestionView(
        id=question.id,
        version=question.version,
        course_id=question.course_id,
        kind=str(question.kind),
        prompt=question.prompt,
        points=question.points,
        explanation=question.explanation,
        skills=list(question.skills),
        choices=[ChoiceView(id=c.id, text=c.text) for c in question.choices],
        key=key_view(question),
        created_at=question.created_at,
    )


class AskedQuestion(msgspec.Struct, frozen=True, kw_only=True):
    """A question as a learner sees it: no key, no explanation. A lab task names the lab
    template and task to pass (that is the question)."""

    id: str
    kind: str
    prompt: str
    points: int
    choices: list[ChoiceView]
    lab_template_id: str | None = None
    lab_task_id: str | None = None


def asked(question: Question) -> AskedQuestion:
    is_lab = question.kind is QuestionKind.LAB_TASK
    choices = [ChoiceView(id=c.id, text=c.text) for c in question.choices]
    if question.kind is QuestionKind.ORDERING:
        # Shown in a fixed order unrelated to the key: by id.
        choices.sort(key=lambda c: c.id)
    return AskedQuestion(
        id=question.id,
        kind=str(question.kind),
        prompt=question.prompt,
        points=question.points,
        choices=choices,
        lab_template_id=question.key.lab_template_id if is_lab else None,
        lab_task_id=question.key.lab_task_id if is_lab else None,
    )


class RulesView(msgspec.Struct, frozen=True, kw_only=True):
    questions_per_attempt: int
    time_limit_minutes: int
    max_attempts: int
    cooldown_minutes: int
    passing_percent: int
    show_answers_after_grading: bool
    proctored: bool


def rules_view(settings: QuizSettings) -> RulesView:
    return RulesView(
        questions_per_attempt=settings.questions_per_attempt,
        time_limit_minutes=minutes(settings.time_limit),
        max_attempts=settings.max_attempts,
        cooldown_minutes=minutes(settings.cooldown),
        passing_percent=settings.passing_percent,
        show_answers_after_grading=settings.show_answers_after_grading,
        proctored=settings.proctored,
    )


class QuizView(msgspec.Struct, frozen=True, kw_only=True):
    """A quiz as its author sees it (question ids and pinned versions, no keys)."""

    id: str
    course_id: str
    lesson_id: str | None
    kind: str
    title: str
    status: str
    question_ids: list[str]
    pinned_versions: dict[str, int]
    rules: RulesView
    created_at: datetime
    published_at: datetime | None


def quiz_view(quiz: Quiz) -> QuizView:
    return QuizView(
        id=quiz.id,
        course_id=quiz.course_id,
        lesson_id=quiz.lesson_id,
        kind=str(quiz.kind),
        title=quiz.title,
        status=str(quiz.status),
        question_ids=list(quiz.question_ids),
        pinned_versions={p.question_id: p.version for p in quiz.pool},
        rules=rules_view(quiz.settings),
        created_at=quiz.created_at,
        published_at=quiz.published_at,
    )


class AttemptSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    number: int
    status: str
    started_at: datetime
    deadline: datetime
    percent: int | None
    passed: bool | None


def attempt_summary(attempt: Attempt) -> AttemptSummary:
    graded = attempt.grade if str(attempt.status) == "graded" else None
    return AttemptSummary(
        id=attempt.id,
        number=attempt.number,
        status=str(attempt.status),
        started_at=attempt.started_at,
        deadline=attempt.deadline,
        percent=graded.percent if graded else None,
        passed=graded.passed if graded else None,
    )


class LearnerQuizView(msgspec.Struct, frozen=True, kw_only=True):
    """The quiz of a lesson (or a course's exam) as a learner sees it before starting:
    its rules, the size of an attempt, and the learner's own attempts."""

    id: str
    course_id: str
    lesson_id: str | None
    kind: str
    title: str
    rules: RulesView
    question_count: int
    max_score: int
    attempts: list[AttemptSummary]


class SkillView(msgspec.Struct, frozen=True, kw_only=True):
    skill: str
    earned: int
    possible: int


class ReviewedQuestion(msgspec.Struct, frozen=True, kw_only=True):
    """After grading: what the learner earned on a question; the key and explanation
    only when the quiz shows answers after grading."""

    question_id: str
    earned: int
    possible: int
    correct: bool
    explanation: str | None = None
    key: KeyView | None = None


class ResultView(msgspec.Struct, frozen=True, kw_only=True):
    score: int
    max_score: int
    percent: int
    passed: bool | None
    skills: list[SkillView]
    questions: list[ReviewedQuestion]


class AttemptView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    quiz_id: str
    course_id: str
    lesson_id: str | None
    user_id: str
    number: int
    status: str
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    questions: list[AskedQuestion]
    answers: dict[str, Any]
    result: ResultView | None
    held_reasons: list[str]
    # A proctored exam's attempt while it is open: where the client opens it under
    # proctoring; none for a quiz that is not proctored, or once the attempt is closed.
    proctoring_url: str | None = None


def attempt_view(attempt: Attempt, questions: list[Question], show_answers: bool) -> AttemptView:
    by_id = {q.id: q for q in questions}
    ordered = [by_id[p.question_id] for p in attempt.questions if p.question_id in by_id]
    answers: dict[str, AnswerValue] = {q: a.value for q, a in attempt.answers.items()}
    return AttemptView(
        id=attempt.id,
        quiz_id=attempt.quiz_id,
        course_id=attempt.course_id,
        lesson_id=attempt.lesson_id,
        user_id=attempt.user_id,
        number=attempt.number,
        status=str(attempt.status),
        started_at=attempt.started_at,
        deadline=attempt.deadline,
        submitted_at=attempt.submitted_at,
        questions=[asked(q) for q in ordered],
        answers=dict(answers),
        result=_result(attempt, by_id, show_answers),
        held_reasons=list(attempt.held_reasons),
        proctoring_url=attempt.proctoring_url if attempt.open_until else None,
    )


def _result(attempt: Attempt, by_id: dict[str, Question], show: bool) -> ResultView | None:
    grade: Grade | None = attempt.grade
    if grade is None:
        return None
    graded = str(attempt.status) == "graded"
    reveal = show and graded
    return ResultView(
        score=grade.score,
        max_score=grade.max_score,
        percent=grade.percent,
        passed=grade.passed if graded else None,
        skills=[
            SkillView(skill=s.skill, earned=s.earned, possible=s.possible) for s in grade.skills
        ],
        questions=[
            ReviewedQuestion(
                question_id=o.question_id,
                earned=o.earned,
                possible=o.possible,
                correct=o.correct,
                explanation=by_id[o.question_id].explanation if reveal else None,
                key=key_view(by_id[o.question_id]) if reveal else None,
            )
            for o in grade.outcomes
            if o.question_id in by_id
        ],
    )


class ItemView(msgspec.Struct, frozen=True, kw_only=True):
    question_id: str
    attempts: int
    difficulty: float | None
    discrimination: float | None


class QuizStatisticsView(msgspec.Struct, frozen=True, kw_only=True):
    quiz_id: str
    graded_attempts: int
    pass_rate: float | None
    items: list[ItemView]


def statistics_view(
    quiz_id: str, grades: list[Grade], items: list[ItemStatistics]
) -> QuizStatisticsView:
    return QuizStatisticsView(
        quiz_id=quiz_id,
        graded_attempts=len(grades),
        pass_rate=round(sum(g.passed for g in grades) / len(grades), 4) if grades else None,
        items=[
            ItemView(
                question_id=i.question_id,
                attempts=i.attempts,
                difficulty=i.difficulty,
                discrimination=i.discrimination,
            )
            for i in items
        ],
    )


class CertificateView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    code: str
    course_id: str
    course_title: str
    learner_name: str
    issued_at: datetime
    status: str
    revoked_at: datetime | None
    revocation_reason: str | None
    verify_url: str
    lab_tasks: list[str]


def certificate_view(certificate: Certificate, verify_url: str) -> CertificateView:
    return CertificateView(
        id=certificate.id,
        code=certificate.code,
        course_id=certificate.course_id,
        course_title=certificate.course_title,
        learner_name=certificate.learner_name,
        issued_at=certificate.issued_at,
        status=str(certificate.status),
        revoked_at=certificate.revoked_at,
        revocation_reason=certificate.revocation_reason,
        verify_url=verify_url,
        lab_tasks=list(certificate.lab_tasks),
    )


class VerificationView(msgspec.Struct, frozen=True, kw_only=True):
    """``status``: valid, revoked or unknown; ``signature_valid``: the credential's proof
    holds under assessments' published keys."""

    code: str
    status: str
    course_title: str | None = None
    learner_name: str | None = None
    issued_at: datetime | None = None
    revoked_at: datetime | None = None
    revocation_reason: str | None = None
    signature_valid: bool | None = None
    credential: dict[str, Any] | None = None


class CertificatePdf(msgspec.Struct, frozen=True, kw_only=True):
    filename: str
    content: bytes


class CredentialKeysView(msgspec.Struct, frozen=True, kw_only=True):
    keys: list[dict[str, Any]]
