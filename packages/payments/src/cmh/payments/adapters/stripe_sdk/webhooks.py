"""Stripe webhooks verified by the official SDK (``stripe.Webhook.construct_event``): the
``Stripe-Signature`` HMAC over the raw body with the endpoint secret, within the
tolerance."""

from __future__ import annotations

import stripe

from cmh.payments.application.ports import InvalidSignature, StripeEvent


class StripeWebhookVerifier:
    def __init__(self, secret: str, tolerance_seconds: int = 300) -> None:
        if not secret:
            raise ValueError("a webhook secret is required (CMH_PAYMENTS__STRIPE__WEBHOOK_SECRET)")
        self._secret = secret
        self._tolerance = tolerance_seconds

    def verify(self, payload: bytes, signature: str | None) -> StripeEvent:
        try:
            event = stripe.Webhook.construct_event(
                payload, signature, self._secret, tolerance=self._tolerance
            )
        except stripe.SignatureVerificationError as exc:
            raise InvalidSignature(str(exc).split(".")[0]) from exc
        except ValueError as exc:  # signed, but not an event
            raise InvalidSignature("the body is not a Stripe event") from exc
        data = event.to_dict()
        return StripeEvent(
            id=str(data["id"]),
            type=str(data["type"]),
            created=int(data["created"]),
            object=dict(data.get("data", {}).get("object", {})),
            payload=payload,
        )
