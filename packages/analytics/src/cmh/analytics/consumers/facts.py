"""From each learning event to its fact: one line per event type. A new event (payments,
forum...) is one more entry in ``EXTRACTORS``; the subscriptions follow from it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import msgspec

from cmh.analytics.domain.facts import Fact
from cmh.contracts.events.assessments import (
    AttemptGradedV1,
    AttemptStartedV1,
    CertificateIssuedV1,
    CertificateRevokedV1,
)
from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.courses import (
    CourseCompletedV1,
    CoursePublishedV1,
    EnrollmentCreatedV1,
    LessonCompletedV1,
    ProgressUpdatedV1,
)
from cmh.contracts.events.labs import (
    LabSessionEndedV1,
    LabSessionRequestedV1,
    LabStatusChangedV1,
    LabTaskValidatedV1,
)
from cmh.contracts.events.payments import (
    PaymentSucceededV1,
    RefundIssuedV1,
    SubscriptionChangedV1,
)

# (event, when it was received) -> its fact; an event carrying no time of its own
# (progress) takes the time it was received.
Extract = Callable[[Any, datetime], Fact]


def fact_id(event: IntegrationEvent) -> str:
    """The same event always gives the same id (its type and content hashed), so a
    redelivery under another envelope is still one fact."""
    digest = hashlib.sha256(event.TYPE.encode() + b"\0" + msgspec.json.encode(event))
    return digest.hexdigest()[:40]


def _fact(event: IntegrationEvent, at: datetime, **fields: Any) -> Fact:
    return Fact(event_id=fact_id(event), kind=event.TYPE, occurred_at=at, **fields)


EXTRACTORS: dict[type[IntegrationEvent], Extract] = {
    CoursePublishedV1: lambda e, _now: _fact(
        e,
        e.published_at,
        course_id=e.course_id,
        attrs={
            "title": e.title,
            "tags": list(e.tags),
            "level": e.level,
            "owner_id": e.owner_id,
            "provider": e.provider,
        },
    ),
    EnrollmentCreatedV1: lambda e, _now: _fact(
        e, e.enrolled_at, user_id=e.user_id, course_id=e.course_id, subject=e.enrollment_id
    ),
    LessonCompletedV1: lambda e, _now: _fact(
        e,
        e.completed_at,
        user_id=e.user_id,
        course_id=e.course_id,
        lesson_id=e.lesson_id,
        subject=e.enrollment_id,
    ),
    ProgressUpdatedV1: lambda e, now: _fact(
        e,
        now,
        user_id=e.user_id,
        course_id=e.course_id,
        subject=e.enrollment_id,
        value=float(e.percentage),
        attrs={"completed_lessons": e.completed_lessons, "counted_lessons": e.counted_lessons},
    ),
    CourseCompletedV1: lambda e, _now: _fact(
        e, e.completed_at, user_id=e.user_id, course_id=e.course_id, subject=e.enrollment_id
    ),
    LabSessionRequestedV1: lambda e, _now: _fact(
        e,
        e.requested_at,
        user_id=e.user_id,
        course_id=e.course_id,
        lesson_id=e.lesson_id,
        subject=e.session_id,
        attrs={"template_id": e.template_id, "provider": e.provider},
    ),
    LabStatusChangedV1: lambda e, _now: _fact(
        e,
        e.changed_at,
        user_id=e.user_id,
        subject=e.session_id,
        attrs={"template_id": e.template_id, "from": e.from_status, "to": e.to_status},
    ),
    LabTaskValidatedV1: lambda e, _now: _fact(
        e,
        e.validated_at,
        user_id=e.user_id,
        subject=e.session_id,
        value=100 * e.score / e.max_score if e.max_score else 0.0,
        attrs={"template_id": e.template_id, "passed_task_ids": list(e.passed_task_ids)},
    ),
    LabSessionEndedV1: lambda e, _now: _fact(
        e,
        e.ended_at,
        user_id=e.user_id,
        course_id=e.course_id,
        subject=e.session_id,
        value=float(e.duration_seconds),
        attrs={"template_id": e.template_id, "cost_usd": e.cost_usd, "outcome": e.outcome},
    ),
    AttemptStartedV1: lambda e, _now: _fact(
        e,
        e.started_at,
        user_id=e.user_id,
        course_id=e.course_id,
        lesson_id=e.lesson_id,
        subject=e.attempt_id,
        attrs={"quiz_id": e.quiz_id},
    ),
    AttemptGradedV1: lambda e, _now: _fact(
        e,
        e.graded_at,
        user_id=e.user_id,
        course_id=e.course_id,
        lesson_id=e.lesson_id,
        subject=e.attempt_id,
        value=float(e.percent),
        attrs={
            "quiz_id": e.quiz_id,
            "quiz_kind": e.quiz_kind,
            "passed": e.passed,
            "skills": [
                {"skill": s.skill, "earned": s.earned, "possible": s.possible} for s in e.skills
            ],
        },
    ),
    CertificateIssuedV1: lambda e, _now: _fact(
        e, e.issued_at, user_id=e.user_id, course_id=e.course_id, subject=e.certificate_id
    ),
    CertificateRevokedV1: lambda e, _now: _fact(
        e, e.revoked_at, user_id=e.user_id, course_id=e.course_id, subject=e.certificate_id
    ),
    # Money stays the event's decimal string; the revenue report reads it exactly.
    PaymentSucceededV1: lambda e, _now: _fact(
        e,
        e.paid_at,
        user_id=e.user_id,
        subject=e.payment_id,
        attrs={
            "plan_id": e.plan_id,
            "amount": e.amount,
            "currency": e.currency,
            "subscription_id": e.subscription_id,
        },
    ),
    RefundIssuedV1: lambda e, _now: _fact(
        e,
        e.issued_at,
        user_id=e.user_id,
        subject=e.payment_id,
        attrs={"refund_id": e.refund_id, "amount": e.amount, "currency": e.currency},
    ),
    SubscriptionChangedV1: lambda e, _now: _fact(
        e,
        e.changed_at,
        user_id=e.user_id,
        subject=e.subscription_id,
        attrs={
            "plan_id": e.plan_id,
            "status": e.status,
            "previous_status": e.previous_status,
            "seats": e.seats,
        },
    ),
}
