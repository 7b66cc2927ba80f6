"""Events published by the Assessments context.

Attempt events travel on ``assessments.attempt`` keyed by the attempt id; certificate
events on ``assessments.certificate`` keyed by the certificate id. A score is whole
points; ``percent`` is rounded down.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import msgspec

from cmh.contracts.events.base import IntegrationEvent

ATTEMPT_TOPIC = "assessments.attempt"
CERTIFICATE_TOPIC = "assessments.certificate"


class AttemptStartedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "attempt.started"
    TOPIC: ClassVar[str] = ATTEMPT_TOPIC
    attempt_id: str
    quiz_id: str
    course_id: str
    lesson_id: str | None
    user_id: str
    number: int
    deadline: datetime
    started_at: datetime


class SkillScore(msgspec.Struct, frozen=True, kw_only=True):
    skill: str
    earned: int
    possible: int


class AttemptGradedV1(IntegrationEvent, frozen=True, kw_only=True):
    """``quiz_kind``: ``quiz`` (a quiz lesson's, ``lesson_id`` set) or ``exam`` (the
    course's final exam). ``timed_out``: graded with what was saved by the deadline."""

    TYPE: ClassVar[str] = "attempt.graded"
    TOPIC: ClassVar[str] = ATTEMPT_TOPIC
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
    skills: list[SkillScore]
    graded_at: datetime


class CertificateIssuedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "certificate.issued"
    TOPIC: ClassVar[str] = CERTIFICATE_TOPIC
    certificate_id: str
    user_id: str
    course_id: str
    verification_code: str
    verify_url: str
    issued_at: datetime


class CertificateRevokedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "certificate.revoked"
    TOPIC: ClassVar[str] = CERTIFICATE_TOPIC
    certificate_id: str
    user_id: str
    course_id: str
    verification_code: str
    verify_url: str
    reason: str
    revoked_at: datetime
