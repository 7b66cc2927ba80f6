"""One sample of every learning event analytics ingests, for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmh.contracts.events.assessments import (
    AttemptGradedV1,
    AttemptStartedV1,
    CertificateIssuedV1,
    CertificateRevokedV1,
    SkillScore,
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

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def published(
    course_id: str, title: str, tags: list[str], owner: str = "teacher"
) -> CoursePublishedV1:
    return CoursePublishedV1(
        course_id=course_id,
        owner_id=owner,
        title=title,
        provider="aws",
        level="beginner",
        tags=tags,
        published_at=T0 - timedelta(days=30),
    )


def enrolled(user: str, course: str, at: datetime = T0) -> EnrollmentCreatedV1:
    return EnrollmentCreatedV1(
        enrollment_id=f"enr-{user}-{course}", course_id=course, user_id=user, enrolled_at=at
    )


def lesson_done(user: str, course: str, lesson: str, at: datetime) -> LessonCompletedV1:
    return LessonCompletedV1(
        enrollment_id=f"enr-{user}-{course}",
        course_id=course,
        lesson_id=lesson,
        user_id=user,
        completed_at=at,
    )


def progress(user: str, course: str, percentage: int, done: int, counted: int) -> ProgressUpdatedV1:
    return ProgressUpdatedV1(
        enrollment_id=f"enr-{user}-{course}",
        course_id=course,
        user_id=user,
        percentage=percentage,
        completed_lessons=done,
        counted_lessons=counted,
    )


def course_done(user: str, course: str, at: datetime) -> CourseCompletedV1:
    return CourseCompletedV1(
        enrollment_id=f"enr-{user}-{course}", course_id=course, user_id=user, completed_at=at
    )


def paid(
    payment_id: str,
    plan_id: str,
    amount: str,
    at: datetime,
    user: str = "ann",
    currency: str = "usd",
    subscription_id: str | None = None,
) -> PaymentSucceededV1:
    return PaymentSucceededV1(
        payment_id=payment_id,
        user_id=user,
        plan_id=plan_id,
        amount=amount,
        currency=currency,
        subscription_id=subscription_id,
        paid_at=at,
    )


def refunded(
    refund_id: str,
    payment_id: str,
    amount: str,
    at: datetime,
    user: str = "ann",
    currency: str = "usd",
) -> RefundIssuedV1:
    return RefundIssuedV1(
        refund_id=refund_id,
        payment_id=payment_id,
        user_id=user,
        amount=amount,
        currency=currency,
        reason="requested_by_customer",
        issued_at=at,
    )


def subscription_changed(
    subscription_id: str,
    plan_id: str,
    status: str,
    at: datetime,
    user: str = "ann",
    previous: str = "incomplete",
    seats: int = 1,
) -> SubscriptionChangedV1:
    return SubscriptionChangedV1(
        subscription_id=subscription_id,
        user_id=user,
        plan_id=plan_id,
        previous_status=previous,
        status=status,
        tier="pro",
        seats=seats,
        cancel_at_period_end=False,
        current_period_end=None,
        changed_at=at,
    )


def every_event(user: str = "ann", course: str = "course-aws") -> list[IntegrationEvent]:
    """One event of each ingested type, about ``user`` in ``course``."""
    return [
        published(course, "AWS Foundations", ["aws", "cloud"]),
        enrolled(user, course),
        lesson_done(user, course, "l1", T0 + timedelta(minutes=10)),
        progress(user, course, 50, 1, 2),
        LabSessionRequestedV1(
            session_id="s1",
            user_id=user,
            template_id="t-s3",
            course_id=course,
            lesson_id="l-lab",
            provider="aws",
            region="us-east-1",
            requested_at=T0 + timedelta(minutes=20),
        ),
        LabStatusChangedV1(
            session_id="s1",
            user_id=user,
            template_id="t-s3",
            from_status="requested",
            to_status="ready",
            reason="provisioned",
            changed_at=T0 + timedelta(minutes=21),
        ),
        LabTaskValidatedV1(
            session_id="s1",
            user_id=user,
            template_id="t-s3",
            passed_task_ids=["a"],
            score=1,
            max_score=2,
            validated_at=T0 + timedelta(minutes=40),
        ),
        LabSessionEndedV1(
            session_id="s1",
            user_id=user,
            template_id="t-s3",
            course_id=course,
            duration_seconds=1800,
            cost_usd="0.40",
            tasks_passed=["a"],
            outcome="failed_learner",
            reason="checks failed",
            ended_at=T0 + timedelta(minutes=50),
        ),
        AttemptStartedV1(
            attempt_id="a1",
            quiz_id="q1",
            course_id=course,
            lesson_id="l2",
            user_id=user,
            number=1,
            deadline=T0 + timedelta(hours=2),
            started_at=T0 + timedelta(minutes=55),
        ),
        AttemptGradedV1(
            attempt_id="a1",
            quiz_id="q1",
            quiz_kind="quiz",
            course_id=course,
            lesson_id="l2",
            user_id=user,
            score=3,
            max_score=4,
            percent=75,
            passed=True,
            timed_out=False,
            skills=[SkillScore(skill="s3", earned=3, possible=4)],
            graded_at=T0 + timedelta(minutes=65),
        ),
        lesson_done(user, course, "l2", T0 + timedelta(minutes=66)),
        course_done(user, course, T0 + timedelta(minutes=67)),
        CertificateIssuedV1(
            certificate_id="cert-1",
            user_id=user,
            course_id=course,
            verification_code="V1",
            verify_url="https://x/v/V1",
            issued_at=T0 + timedelta(minutes=68),
        ),
        CertificateRevokedV1(
            certificate_id="cert-0",
            user_id=user,
            course_id=course,
            verification_code="V0",
            verify_url="https://x/v/V0",
            reason="test",
            revoked_at=T0 + timedelta(minutes=69),
        ),
        subscription_changed("sub-1", "pro-monthly", "active", T0 + timedelta(minutes=70), user),
        paid("pay-1", "pro-monthly", "19.00", T0 + timedelta(minutes=70), user, "usd", "sub-1"),
        refunded("re-1", "pay-1", "4.50", T0 + timedelta(minutes=71), user),
    ]
