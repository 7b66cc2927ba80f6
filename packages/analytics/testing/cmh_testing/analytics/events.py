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
    ]
