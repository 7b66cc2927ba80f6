"""The Payments HTTP API: hand ``PAYMENTS_ROUTES`` (and, with the Stripe stand-in,
``STAND_IN_ROUTES``) to the kernel's ``create_http_app``."""

from __future__ import annotations

from cmh.payments.api.admin import AdminPaymentsController
from cmh.payments.api.billing import BillingController, PlansController
from cmh.payments.api.stand_in import StandInCheckoutController
from cmh.payments.api.webhooks import StripeWebhookController

PAYMENTS_ROUTES = [
    PlansController,
    BillingController,
    StripeWebhookController,
    AdminPaymentsController,
]
STAND_IN_ROUTES = [StandInCheckoutController]

__all__ = ["PAYMENTS_ROUTES", "STAND_IN_ROUTES"]
