"""Signing deliveries of SendGrid's Event Webhook as SendGrid documents it (ECDSA P-256
with SHA-256 over the timestamp header followed by the raw body, base64 DER), for tests."""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


class SendGridSigner:
    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())

    @property
    def verification_key(self) -> str:
        """The public key as SendGrid shows it in its settings (base64 DER)."""
        der = self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()

    def signed(
        self, events: list[dict[str, Any]], timestamp: str = "1772470800"
    ) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(events).encode()
        signature = self._key.sign(timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return body, {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
            "Content-Type": "application/json",
        }
