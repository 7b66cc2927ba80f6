"""How billing behaves here, from the context's settings: the grace period of a failed
payment and where Stripe sends the browser back to."""

from __future__ import annotations

from datetime import timedelta

import msgspec


class BillingPolicy(msgspec.Struct, frozen=True, kw_only=True):
    grace: timedelta = timedelta(days=7)
    success_url: str = "http://127.0.0.1:8000/billing/success?session_id={CHECKOUT_SESSION_ID}"
    cancel_url: str = "http://127.0.0.1:8000/billing/cancelled"
    portal_return_url: str = "http://127.0.0.1:8000/billing"
    # A stored webhook event whose handling failed this often is left for an operator.
    max_event_attempts: int = 10
