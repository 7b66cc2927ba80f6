"""Signing a webhook exactly as Stripe does (``t=<unix>,v1=<HMAC-SHA256 of "t.body">``,
Stripe's documented scheme): for the Stripe stand-in and for tests."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any


def stripe_signature(payload: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_body(event_id: str, kind: str, created: int, obj: dict[str, Any]) -> bytes:
    """A Stripe ``event`` object around ``obj`` (what Stripe posts)."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": "2025-08-27.basil",
            "created": created,
            "livemode": False,
            "pending_webhooks": 1,
            "type": kind,
            "data": {"object": obj},
        },
        separators=(",", ":"),
    ).encode()
