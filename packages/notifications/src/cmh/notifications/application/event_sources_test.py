"""Assessments', payments' and the forum's events through the consumers: once per event
and channel whatever redelivers them, to the right person only, in their language with the
event's values escaped in the HTML, and billing mail never held by quiet hours."""

from __future__ import annotations

from datetime import time

from cmh.contracts.events.assessments import CertificateIssuedV1
from cmh.contracts.events.forum import ReplyCreatedV1
from cmh.contracts.events.payments import PaymentFailedV1
from cmh.kernel.auth.principal import Principal
from cmh.notifications.application.conftest import NOW, World
from cmh.notifications.application.preferences import (
    PreferencesChange,
    QuietHoursChange,
    UpdatePreferences,
)
from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.preferences import Digest
from cmh_testing.notifications.events import handle_past_the_inbox


def payment_failed(reason: str = "card_declined") -> PaymentFailedV1:
    return PaymentFailedV1(
        payment_id="p-1",
        user_id="ada",
        plan_id="pro_monthly",
        amount="19.00",
        currency="eur",
        reason=reason,
        attempt=1,
        failed_at=NOW,
    )


def reply(author: str) -> ReplyCreatedV1:
    return ReplyCreatedV1(
        post_id="p-2",
        parent_id="p-1",
        thread_id="t-1",
        board_id="b-1",
        course_id=None,
        author_id=author,
        thread_author_id="ada",
        created_at=NOW,
    )


async def test_a_redelivered_payment_failure_is_told_once_per_channel(world: World) -> None:
    await world.register("ada")
    event_id = await world.publish(payment_failed())
    await world.publish(payment_failed(), event_id=event_id)  # the broker redelivers it
    await handle_past_the_inbox(world.container, payment_failed(), event_id)
    await (await world.jobs()).drain()
    [failure] = [n for n in await world.notifications() if n.kind == "payment.failed"]
    assert failure.channels == frozenset(Channel)
    subjects = [m.subject for m in (await world.mailer()).to("ada@example.com")]
    assert subjects.count("Your payment of 19.00 EUR failed") == 1
    keys = [(d.source_event_id, d.channel) for d in await world.deliveries()]
    assert len(keys) == len(set(keys))


async def test_a_reply_reaches_the_threads_author_and_never_the_replier(world: World) -> None:
    await world.register("ada")
    await world.register("bob", name="Bob")
    await world.publish(reply("bob"))
    await world.publish(reply("ada"))  # the author answering in their own thread
    told = [(n.recipient_id, n.kind) for n in await world.notifications()]
    assert told.count(("ada", "forum.reply")) == 1
    assert not [kind for user, kind in told if user == "bob" and kind != "user.welcome"]


async def test_the_certificate_mail_speaks_german_and_escapes_the_events_values(
    world: World,
) -> None:
    (await world.profiles()).set("ada", locale="de-DE")
    await world.register("ada", name="Ada")
    hostile = "https://cmh.example/verify/<script>x</script>"
    await world.publish(
        CertificateIssuedV1(
            certificate_id="cert-1",
            user_id="ada",
            course_id="c-1",
            verification_code="AB&CD",
            verify_url=hostile,
            issued_at=NOW,
        )
    )
    await (await world.jobs()).drain()
    mail = next(m for m in (await world.mailer()).sent if m.subject == "Dein Zertifikat ist da")
    assert "<script>" not in mail.html
    assert "&lt;script&gt;x&lt;/script&gt;" in mail.html
    assert "(Code AB&amp;CD)" in mail.html
    assert hostile in mail.text
    assert "(Code AB&CD)" in mail.text
    assert 'href="https://cmh.example/api/v1/certificates/cert-1.pdf"' in mail.html


async def test_the_payment_mail_in_english_and_not_held_by_quiet_hours(world: World) -> None:
    await world.register("ada")
    change = PreferencesChange(
        channels={},
        quiet_hours=QuietHoursChange(start=time(0), end=time(23, 59)),
        digest=Digest.DAILY,
        digest_time=time(8),
        digest_weekday=0,
    )
    learner = Principal(user_id="ada", roles=frozenset({"learner"}))
    await (await world.use(UpdatePreferences)).execute(learner, change)
    await world.publish(payment_failed(reason="<b>expired</b>"))
    await (await world.jobs()).drain()
    # Sent at once, though quiet hours cover the whole day and a digest is chosen.
    [mail] = [m for m in (await world.mailer()).sent if "failed" in m.subject]
    assert "(&lt;b&gt;expired&lt;/b&gt;)" in mail.html
    assert "Update your payment method" in mail.text
    assert 'href="https://cmh.example/billing"' in mail.html
