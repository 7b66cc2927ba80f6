"""Stripe settings (``CMH_PAYMENTS__STRIPE__*``): the API key and the webhook endpoint's
secret come from the environment only; ``api_base`` points the SDK at stripe-mock in
tests."""

from __future__ import annotations

import msgspec


class StripeSettings(msgspec.Struct, frozen=True):
    api_key: str = ""
    webhook_secret: str = ""
    api_base: str = ""  # empty: Stripe itself
    tolerance_seconds: int = 300  # Stripe's default for signed webhooks
    max_network_retries: int = 2
    timeout_seconds: float = 10.0
