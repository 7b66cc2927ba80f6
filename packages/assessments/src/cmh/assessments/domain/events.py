"""The facts the Assessments aggregates record (kernel ``recorded_events``); the outbox
mapper turns them into the ``attempt.*`` and ``certificate.*`` contract events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cmh.assessments.domain.grading import SkillResult


@dataclass(frozen=True)
class QuizPublished:
    quiz_id: str
    course_id: str
    at: datetime


@dataclass(frozen=True)
class AttemptStarted:
    attempt_id: str
    quiz_id: str
    course_id: str
    lesson_id: str | None
    user_id: str
    number: int
    deadline: datetime
    at: datetime


@dataclass(frozen=True)
class AttemptGraded:
    attempt_id: str
    quiz_id: str
    quiz_kind: str
    course_id: str
    lesson_id: str | None
    user_id: str
    score: int
    max_score: int
    percent: int
    passed: bool
    timed_out: bool
    skills: tuple[SkillResult, ...]
    at: datetime


@dataclass(frozen=True)
class AttemptHeld:
    attempt_id: str
    quiz_id: str
    user_id: str
    reasons: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class CertificateIssued:
    certificate_id: str
    user_id: str
    course_id: str
    code: str
    verify_url: str
    at: datetime


@dataclass(frozen=True)
class CertificateRevoked:
    certificate_id: str
    user_id: str
    course_id: str
    code: str
    verify_url: str
    reason: str
    at: datetime
