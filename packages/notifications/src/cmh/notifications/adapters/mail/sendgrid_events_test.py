from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cmh.kernel.errors import Forbidden
from cmh.notifications.adapters.mail.sendgrid_events import SendGridEventWebhook
from cmh.notifications.application.ports import ProviderEvent
from cmh_testing.notifications.sendgrid_events import SendGridSigner

EVENTS = [
    {"event": "processed", "sg_message_id": "abc.filter1", "timestamp": 1772470800},
    {"event": "delivered", "sg_message_id": "abc.filter1", "timestamp": 1772470801},
    {
        "event": "bounce",
        "sg_message_id": "def.filter2",
        "timestamp": 1772470802,
        "reason": "550 no such user",
    },
    {
        "event": "dropped",
        "sg_message_id": "ghi.filter3",
        "timestamp": 1772470803,
        "reason": "Bounced Address",
    },
    {"event": "open", "sg_message_id": "abc.filter1", "timestamp": 1772470804},
]


def test_signed_events_are_read_and_only_the_tracked_ones_kept() -> None:
    signer = SendGridSigner()
    body, headers = signer.signed(EVENTS)
    read = SendGridEventWebhook(signer.verification_key).read(
        body,
        headers["X-Twilio-Email-Event-Webhook-Signature"],
        headers["X-Twilio-Email-Event-Webhook-Timestamp"],
    )
    assert read == [
        ProviderEvent(
            message_id="abc",
            outcome="delivered",
            reason="delivered",
            at=datetime.fromtimestamp(1772470801, UTC),
        ),
        ProviderEvent(
            message_id="def",
            outcome="bounced",
            reason="550 no such user",
            at=datetime.fromtimestamp(1772470802, UTC),
        ),
        ProviderEvent(
            message_id="ghi",
            outcome="failed",
            reason="Bounced Address",
            at=datetime.fromtimestamp(1772470803, UTC),
        ),
    ]


@pytest.mark.parametrize("tamper", ["body", "timestamp", "key", "garbage"])
def test_a_delivery_not_signed_by_the_configured_key_is_refused(tamper: str) -> None:
    signer = SendGridSigner()
    body, headers = signer.signed(EVENTS)
    signature = headers["X-Twilio-Email-Event-Webhook-Signature"]
    timestamp = headers["X-Twilio-Email-Event-Webhook-Timestamp"]
    key = signer.verification_key
    if tamper == "body":
        body = body.replace(b"bounce", b"delivered")
    elif tamper == "timestamp":
        timestamp = "1772470999"
    elif tamper == "key":
        key = SendGridSigner().verification_key
    else:
        signature = "not base64!"
    with pytest.raises(Forbidden):
        SendGridEventWebhook(key).read(body, signature, timestamp)
