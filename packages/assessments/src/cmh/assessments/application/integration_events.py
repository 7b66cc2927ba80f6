"""The one place domain events of Assessments become ``attempt.*`` and ``certificate.*``
contract events: ``ASSESSMENTS_EVENTS``, the map the unit of work applies at commit."""

from __future__ import annotations

from typing import Any

from cmh.assessments.domain.events import (
    AttemptGraded,
    AttemptHeld,
    AttemptStarted,
    CertificateIssued,
    CertificateRevoked,
    QuizPublished,
)
from cmh.contracts.events.assessments import (
    AttemptGradedV1,
    AttemptStartedV1,
    CertificateIssuedV1,
    CertificateRevokedV1,
    SkillScore,
)
from cmh.kernel.event_mapping import EventMap, Outgoing


def _started(event: AttemptStarted) -> Outgoing:
    return Outgoing(
        AttemptStartedV1(
            attempt_id=event.attempt_id,
            quiz_id=event.quiz_id,
            course_id=event.course_id,
            lesson_id=event.lesson_id,
            user_id=event.user_id,
            number=event.number,
            deadline=event.deadline,
            started_at=event.at,
        ),
        event.attempt_id,
    )


def _graded(event: AttemptGraded) -> Outgoing:
    return Outgoing(
        AttemptGradedV1(
            attempt_id=event.attempt_id,
            quiz_id=event.quiz_id,
            quiz_kind=event.quiz_kind,
            course_id=event.course_id,
            lesson_id=event.lesson_id,
            user_id=event.user_id,
            score=event.score,
            max_score=event.max_score,
            percent=event.percent,
            passed=event.passed,
            timed_out=event.timed_out,
            skills=[
                SkillScore(skill=s.skill, earned=s.earned, possible=s.possible)
                for s in event.skills
            ],
            graded_at=event.at,
        ),
        event.attempt_id,
    )


def _issued(event: CertificateIssued) -> Outgoing:
    return Outgoing(
        CertificateIssuedV1(
            certificate_id=event.certificate_id,
            user_id=event.user_id,
            course_id=event.course_id,
            verification_code=event.code,
            verify_url=event.verify_url,
            issued_at=event.at,
        ),
        event.certificate_id,
    )


def _revoked(event: CertificateRevoked) -> Outgoing:
    return Outgoing(
        CertificateRevokedV1(
            certificate_id=event.certificate_id,
            user_id=event.user_id,
            course_id=event.course_id,
            verification_code=event.code,
            verify_url=event.verify_url,
            reason=event.reason,
            revoked_at=event.at,
        ),
        event.certificate_id,
    )


def _internal(event: Any) -> None:
    """Authoring and reviews stay inside assessments."""
    return None


ASSESSMENTS_EVENTS = EventMap(
    {
        AttemptStarted: _started,
        AttemptGraded: _graded,
        CertificateIssued: _issued,
        CertificateRevoked: _revoked,
        QuizPublished: _internal,
        AttemptHeld: _internal,
    }
)
