"""SendGrid's Event Webhook, as documented: a POST of a JSON array of events (``event``:
``delivered``, ``bounce``, ``dropped``, ``deferred``, ...; ``sg_message_id`` starts with
the ``X-Message-Id`` the send answered; ``reason``; ``timestamp``), signed with ECDSA
P-256 over the ``X-Twilio-Email-Event-Webhook-Timestamp`` header followed by the raw body
(signature in ``X-Twilio-Email-Event-Webhook-Signature``, base64 DER), verified with the
account's verification key (base64 DER public key, ``CMH_NOTIFICATIONS__MAIL__
SENDGRID_WEBHOOK_KEY``). Events this platform does not track are dropped here."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key

from cmh.kernel.errors import Forbidden, InvalidInput
from cmh.notifications.application.ports import ProviderEvent

SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature"
TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp"
TRACKED = {"delivered": "delivered", "bounce": "bounced", "dropped": "failed"}


class _Event(msgspec.Struct):
    event: str
    timestamp: int = 0
    sg_message_id: str = ""
    reason: str = ""


class SendGridEventWebhook:
    """Reads a signed delivery of SendGrid's Event Webhook."""

    def __init__(self, verification_key: str) -> None:
        key = load_der_public_key(base64.b64decode(verification_key))
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise ValueError("the SendGrid verification key is not an ECDSA public key")
        self._key = key

    def read(self, body: bytes, signature: str, timestamp: str) -> list[ProviderEvent]:
        try:
            self._key.verify(
                base64.b64decode(signature), timestamp.encode() + body, ec.ECDSA(hashes.SHA256())
            )
        except (InvalidSignature, binascii.Error, ValueError) as exc:
            raise Forbidden(
                "the event webhook's signature does not verify", code="bad_signature"
            ) from exc
        try:
            events = msgspec.json.decode(body, type=list[_Event])
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InvalidInput("not a list of SendGrid events", code="bad_events") from exc
        return [
            ProviderEvent(
                message_id=event.sg_message_id.split(".", 1)[0],
                outcome=TRACKED[event.event],
                reason=event.reason or event.event,
                at=datetime.fromtimestamp(event.timestamp, UTC),
            )
            for event in events
            if event.event in TRACKED and event.sg_message_id
        ]


class ProviderWebhooks:
    """The providers' event webhooks this process accepts (none unless configured)."""

    def __init__(self, sendgrid: SendGridEventWebhook | None = None) -> None:
        self.sendgrid = sendgrid
