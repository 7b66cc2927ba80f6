"""Settings of the Payments context (``CMH_PAYMENTS__...`` with the kernel's
``load_settings``)."""

from __future__ import annotations

import msgspec

from cmh.payments.adapters.stripe_sdk.settings import StripeSettings
from cmh.payments.adapters.users.settings import UsersClientSettings


class PaymentsSettings(msgspec.Struct, frozen=True):
    """``stripe``: the API key and webhook secret (distributed; the embedded stand-in
    signs with ``stripe.webhook_secret`` or a secret of its own); ``users``: the users
    service and payments' client credentials (distributed); ``public_base_url``: where
    this process is reached (Stripe's success/cancel pages, the stand-in's checkout);
    ``grace_days``: how long a failed payment keeps access."""

    stripe: StripeSettings = StripeSettings()
    users: UsersClientSettings = UsersClientSettings()
    # Labs' internal API (the refund saga's hours), distributed.
    labs_url: str = "http://127.0.0.1:8104"
    public_base_url: str = "http://127.0.0.1:8000"
    grace_days: int = 7
    poll_seconds: float = 0.5
