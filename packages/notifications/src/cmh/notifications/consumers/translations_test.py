"""Each event of another context becomes the right notification for the right person (or
none), and the notifications worker subscribes to every topic those events travel on."""

from __future__ import annotations

from datetime import UTC, datetime
from string import Formatter

import pytest

from cmh.contracts.events.assessments import (
    AttemptGradedV1,
    CertificateIssuedV1,
    CertificateRevokedV1,
    SkillScore,
)
from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.forum import AnswerAcceptedV1, ReplyCreatedV1, UserMentionedV1
from cmh.contracts.events.payments import PaymentFailedV1, PaymentSucceededV1, RefundIssuedV1
from cmh.notifications.consumers import subscriptions
from cmh.notifications.consumers.handlers import NOTIFY
from cmh.notifications.consumers.translations import BILLING_LINK, TRANSLATIONS
from cmh.notifications.domain.channels import Category
from cmh.notifications.domain.messages import KINDS, Text

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
EVENT_ID = "evt-1"


def translate(event: IntegrationEvent) -> tuple[str, str, Category, dict[str, str], str | None]:
    request = TRANSLATIONS[type(event)](event, EVENT_ID)
    assert request is not None
    assert request.source_event_id == EVENT_ID
    assert request.recipient is None  # the address comes from user.registered only
    category = KINDS[request.kind].category
    return request.recipient_id, request.kind, category, request.variables, request.link


def graded(*, passed: bool) -> AttemptGradedV1:
    return AttemptGradedV1(
        attempt_id="a-1",
        quiz_id="q-1",
        quiz_kind="quiz",
        course_id="c-1",
        lesson_id="l-1",
        user_id="ada",
        score=7 if passed else 3,
        max_score=10,
        percent=70 if passed else 30,
        passed=passed,
        timed_out=False,
        skills=[SkillScore(skill="iam", earned=3, possible=4)],
        graded_at=AT,
    )


def test_a_passed_attempt_tells_its_learner_the_score_and_links_the_attempt() -> None:
    assert translate(graded(passed=True)) == (
        "ada",
        "attempt.passed",
        Category.LEARNING,
        {"score": "7", "max_score": "10", "percent": "70"},
        "/assessments/attempts/a-1",
    )


def test_a_failed_attempt_is_its_own_kind() -> None:
    _, kind, category, variables, _ = translate(graded(passed=False))
    assert (kind, category, variables["percent"]) == ("attempt.failed", Category.LEARNING, "30")


def test_an_issued_certificate_links_its_pdf_and_its_public_verification() -> None:
    event = CertificateIssuedV1(
        certificate_id="cert-1",
        user_id="ada",
        course_id="c-1",
        verification_code="ABCD-1234",
        verify_url="https://cmh.example/api/v1/certificates/verify/ABCD-1234",
        issued_at=AT,
    )
    assert translate(event) == (
        "ada",
        "certificate.issued",
        Category.LEARNING,
        {"verify_url": event.verify_url, "code": "ABCD-1234"},
        "/api/v1/certificates/cert-1.pdf",
    )


def test_a_revoked_certificate_gives_the_reason_and_links_the_verification() -> None:
    event = CertificateRevokedV1(
        certificate_id="cert-1",
        user_id="ada",
        course_id="c-1",
        verification_code="ABCD-1234",
        verify_url="https://cmh.example/api/v1/certificates/verify/ABCD-1234",
        reason="exam shared online",
        revoked_at=AT,
    )
    assert translate(event) == (
        "ada",
        "certificate.revoked",
        Category.LEARNING,
        {"reason": "exam shared online", "code": "ABCD-1234"},
        event.verify_url,
    )


def test_payments_and_refunds_are_billing_with_the_amount_in_its_currency() -> None:
    paid = PaymentSucceededV1(
        payment_id="p-1",
        user_id="ada",
        plan_id="pro_monthly",
        amount="19.00",
        currency="eur",
        subscription_id="sub-1",
        paid_at=AT,
    )
    failed = PaymentFailedV1(
        payment_id="p-2",
        user_id="ada",
        plan_id="pro_monthly",
        amount="19.00",
        currency="eur",
        reason="card_declined",
        attempt=2,
        failed_at=AT,
    )
    refunded = RefundIssuedV1(
        refund_id="r-1",
        payment_id="p-1",
        user_id="ada",
        amount="5.50",
        currency="usd",
        reason="requested_by_customer",
        issued_at=AT,
    )
    assert translate(paid) == (
        "ada",
        "payment.succeeded",
        Category.BILLING,
        {"amount": "19.00 EUR", "plan": "pro monthly"},
        BILLING_LINK,
    )
    assert translate(failed) == (
        "ada",
        "payment.failed",
        Category.BILLING,
        {"amount": "19.00 EUR", "plan": "pro monthly", "reason": "card_declined"},
        BILLING_LINK,
    )
    assert translate(refunded) == (
        "ada",
        "refund.issued",
        Category.BILLING,
        {"amount": "5.50 USD"},
        BILLING_LINK,
    )


def reply(author: str, thread_author: str = "ada") -> ReplyCreatedV1:
    return ReplyCreatedV1(
        post_id="p-2",
        parent_id="p-1",
        thread_id="t-1",
        board_id="b-1",
        course_id=None,
        author_id=author,
        thread_author_id=thread_author,
        created_at=AT,
    )


def test_a_reply_tells_the_threads_author_but_never_the_replier_themself() -> None:
    assert translate(reply("bob")) == (
        "ada",
        "forum.reply",
        Category.COMMUNITY,
        {},
        "/forum/threads/t-1#post-p-2",
    )
    assert TRANSLATIONS[ReplyCreatedV1](reply("ada"), EVENT_ID) is None


def test_a_mention_tells_the_mentioned_user_unless_they_mention_themself() -> None:
    def mention(author: str) -> UserMentionedV1:
        return UserMentionedV1(
            post_id="p-3",
            thread_id="t-1",
            board_id="b-1",
            author_id=author,
            mentioned_user_id="ada",
            mentioned_at=AT,
        )

    assert translate(mention("bob")) == (
        "ada",
        "forum.mentioned",
        Category.COMMUNITY,
        {},
        "/forum/threads/t-1#post-p-3",
    )
    assert TRANSLATIONS[UserMentionedV1](mention("ada"), EVENT_ID) is None


def test_an_accepted_answer_tells_its_author_unless_they_accepted_it_themself() -> None:
    def accepted(by: str) -> AnswerAcceptedV1:
        return AnswerAcceptedV1(
            post_id="p-2",
            thread_id="t-1",
            board_id="b-1",
            answer_author_id="bob",
            accepted_by=by,
            accepted_at=AT,
        )

    assert translate(accepted("ada")) == (
        "bob",
        "forum.answer_accepted",
        Category.COMMUNITY,
        {},
        "/forum/threads/t-1#post-p-2",
    )
    assert TRANSLATIONS[AnswerAcceptedV1](accepted("bob"), EVENT_ID) is None


def test_the_worker_subscribes_to_every_translated_event_on_its_topic() -> None:
    notify = {s.topic: s.event_types for s in subscriptions() if s.consumer.startswith(NOTIFY)}
    for event_type in TRANSLATIONS:
        assert event_type.TYPE in notify[event_type.TOPIC], event_type.TYPE
    assert {"assessments.attempt", "assessments.certificate", "payments.payment", "forum.post"} <= (
        notify.keys()
    )
    # Only what is translated: forum.post_edited on the same topic is not taken.
    assert "forum.post_edited" not in notify["forum.post"]


def _placeholders(text: Text) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text.title + text.body) if name}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_both_languages_of_a_kind_use_the_same_variables(kind: str) -> None:
    texts = KINDS[kind].texts
    assert _placeholders(texts["en"]) == _placeholders(texts["de"])
