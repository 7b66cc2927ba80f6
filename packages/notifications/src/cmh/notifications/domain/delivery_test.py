from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.dedupe import DeliveryKey
from cmh.notifications.domain.delivery import Delivery, DeliveryStatus
from cmh.notifications.domain.errors import InvalidDeliveryMove

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)
KEY = DeliveryKey("evt-1", Channel.EMAIL, "learner")


def test_a_mail_goes_from_held_to_queued_to_sent_to_delivered_with_its_history() -> None:
    mail = Delivery.start(
        "d1", "n1", KEY, DeliveryStatus.HELD, NOW, due_at=NOW + timedelta(hours=1)
    )
    assert not mail.is_due(NOW)
    assert mail.is_due(NOW + timedelta(hours=1))
    mail.queue(NOW + timedelta(hours=1))
    mail.attempted(NOW + timedelta(hours=1, minutes=1), "provider answered 503")
    mail.sent(NOW + timedelta(hours=1, minutes=2), "msg-9")
    mail.delivered(NOW + timedelta(hours=2))
    assert [step.status for step in mail.history] == [
        DeliveryStatus.HELD,
        DeliveryStatus.QUEUED,
        DeliveryStatus.SENT,
        DeliveryStatus.DELIVERED,
    ]
    assert (mail.attempts, mail.provider_message_id, mail.is_over) == (2, "msg-9", True)
    assert mail.key == KEY


def test_a_failure_keeps_its_reason_and_ends_the_delivery() -> None:
    mail = Delivery.start("d1", "n1", KEY, DeliveryStatus.QUEUED, NOW)
    mail.fail(NOW, "the provider refused the address")
    assert (mail.status, mail.reason, mail.is_over) == (
        DeliveryStatus.FAILED,
        "the provider refused the address",
        True,
    )
    with pytest.raises(InvalidDeliveryMove):
        mail.sent(NOW, None)


def test_a_bounce_is_only_known_after_sending() -> None:
    mail = Delivery.start("d1", "n1", KEY, DeliveryStatus.QUEUED, NOW)
    with pytest.raises(InvalidDeliveryMove):
        mail.bounced(NOW, "mailbox unknown")
    mail.sent(NOW, "m")
    mail.bounced(NOW, "mailbox unknown")
    assert mail.status is DeliveryStatus.BOUNCED


def test_the_dedupe_key_names_the_event_the_channel_and_the_recipient() -> None:
    assert str(KEY) == "evt-1:email:learner"
    assert DeliveryKey("evt-1", Channel.INBOX, "learner") != KEY
