"""Which events become which notifications: one function per event type, listed in
``TRANSLATIONS`` (a new event from another context is one line there and one function
here). A function answers None for an event nobody needs to hear of."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cmh.contracts.events.assessments import (
    AttemptGradedV1,
    CertificateIssuedV1,
    CertificateRevokedV1,
)
from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.courses import EnrollmentCreatedV1
from cmh.contracts.events.forum import AnswerAcceptedV1, ReplyCreatedV1, UserMentionedV1
from cmh.contracts.events.labs import LabSessionEndedV1, LabStatusChangedV1
from cmh.contracts.events.payments import PaymentFailedV1, PaymentSucceededV1, RefundIssuedV1
from cmh.contracts.events.users import UserRegisteredV1
from cmh.notifications.application.ports import Recipient
from cmh.notifications.application.requests import NotifyRequest

Translation = Callable[[Any, str], NotifyRequest | None]

# Labs' reason for a ``ready -> ready`` change that warns of the expiry.
EXPIRY_WARNING = "expiry_warning"
# Outcomes a failure notification already told of.
FAILED_OUTCOMES = frozenset({"failed_platform", "failed_learner"})
# Where a learner sees their invoices and updates their card.
BILLING_LINK = "/billing"


def welcome(event: UserRegisteredV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="user.welcome",
        source_event_id=event_id,
        variables={"name": event.display_name},
        link="/courses",
        recipient=Recipient(
            user_id=event.user_id, email=event.email, display_name=event.display_name
        ),
    )


def enrolled(event: EnrollmentCreatedV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="course.enrolled",
        source_event_id=event_id,
        variables={"course_id": event.course_id},
        link=f"/courses/{event.course_id}",
    )


def lab_status(event: LabStatusChangedV1, event_id: str) -> NotifyRequest | None:
    link = f"/labs/sessions/{event.session_id}"
    if event.to_status == "ready" and event.reason == EXPIRY_WARNING:
        expires = event.expires_at.strftime("%H:%M UTC") if event.expires_at else ""
        return NotifyRequest(
            recipient_id=event.user_id,
            kind="lab.expiring",
            source_event_id=event_id,
            variables={"expires_at": expires},
            link=link,
        )
    if event.to_status == "ready" and event.from_status != "ready":
        return NotifyRequest(
            recipient_id=event.user_id, kind="lab.ready", source_event_id=event_id, link=link
        )
    if event.to_status == "failed":
        return NotifyRequest(
            recipient_id=event.user_id,
            kind="lab.failed",
            source_event_id=event_id,
            variables={"reason": event.reason},
            link=link,
        )
    return None  # the teardown is told once, by lab.session_ended


def lab_ended(event: LabSessionEndedV1, event_id: str) -> NotifyRequest | None:
    if event.outcome in FAILED_OUTCOMES:
        return None
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="lab.torn_down",
        source_event_id=event_id,
        variables={
            "outcome": event.outcome.replace("_", " "),
            "minutes": str(event.duration_seconds // 60),
            "tasks": str(len(event.tasks_passed)),
        },
        link=f"/labs/sessions/{event.session_id}",
    )


def graded(event: AttemptGradedV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="attempt.passed" if event.passed else "attempt.failed",
        source_event_id=event_id,
        variables={
            "score": str(event.score),
            "max_score": str(event.max_score),
            "percent": str(event.percent),
        },
        link=f"/assessments/attempts/{event.attempt_id}",
    )


def certificate_issued(event: CertificateIssuedV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="certificate.issued",
        source_event_id=event_id,
        variables={"verify_url": event.verify_url, "code": event.verification_code},
        link=f"/api/v1/certificates/{event.certificate_id}.pdf",
    )


def certificate_revoked(event: CertificateRevokedV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="certificate.revoked",
        source_event_id=event_id,
        variables={"reason": event.reason, "code": event.verification_code},
        link=event.verify_url,
    )


def _money(amount: str, currency: str) -> str:
    return f"{amount} {currency.upper()}"


def payment_succeeded(event: PaymentSucceededV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="payment.succeeded",
        source_event_id=event_id,
        variables={
            "amount": _money(event.amount, event.currency),
            "plan": event.plan_id.replace("_", " "),
        },
        link=BILLING_LINK,
    )


def payment_failed(event: PaymentFailedV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="payment.failed",
        source_event_id=event_id,
        variables={
            "amount": _money(event.amount, event.currency),
            "plan": event.plan_id.replace("_", " "),
            "reason": event.reason,
        },
        link=BILLING_LINK,
    )


def refund_issued(event: RefundIssuedV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="refund.issued",
        source_event_id=event_id,
        variables={"amount": _money(event.amount, event.currency)},
        link=BILLING_LINK,
    )


def _thread(thread_id: str, post_id: str) -> str:
    return f"/forum/threads/{thread_id}#post-{post_id}"


def forum_reply(event: ReplyCreatedV1, event_id: str) -> NotifyRequest | None:
    """The thread's author hears of replies (the event names no other follower); nobody
    hears of their own reply."""
    if event.thread_author_id == event.author_id:
        return None
    return NotifyRequest(
        recipient_id=event.thread_author_id,
        kind="forum.reply",
        source_event_id=event_id,
        link=_thread(event.thread_id, event.post_id),
    )


def forum_mention(event: UserMentionedV1, event_id: str) -> NotifyRequest | None:
    if event.mentioned_user_id == event.author_id:
        return None
    return NotifyRequest(
        recipient_id=event.mentioned_user_id,
        kind="forum.mentioned",
        source_event_id=event_id,
        link=_thread(event.thread_id, event.post_id),
    )


def forum_answer_accepted(event: AnswerAcceptedV1, event_id: str) -> NotifyRequest | None:
    if event.answer_author_id == event.accepted_by:
        return None  # accepting one's own answer tells nobody anything new
    return NotifyRequest(
        recipient_id=event.answer_author_id,
        kind="forum.answer_accepted",
        source_event_id=event_id,
        link=_thread(event.thread_id, event.post_id),
    )


TRANSLATIONS: dict[type[IntegrationEvent], Translation] = {
    UserRegisteredV1: welcome,
    EnrollmentCreatedV1: enrolled,
    LabStatusChangedV1: lab_status,
    LabSessionEndedV1: lab_ended,
    AttemptGradedV1: graded,
    CertificateIssuedV1: certificate_issued,
    CertificateRevokedV1: certificate_revoked,
    PaymentSucceededV1: payment_succeeded,
    PaymentFailedV1: payment_failed,
    RefundIssuedV1: refund_issued,
    ReplyCreatedV1: forum_reply,
    UserMentionedV1: forum_mention,
    AnswerAcceptedV1: forum_answer_accepted,
}
