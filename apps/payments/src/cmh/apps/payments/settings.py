"""Settings of the distributed Payments service (``CMH_...`` environment variables).

The defaults are the local distributed profile: PostgreSQL database ``cmh_payments``,
Kafka, the users service. What a deployment must give, from the environment only: the
Stripe API key and webhook endpoint secret (``CMH_PAYMENTS__STRIPE__API_KEY``,
``CMH_PAYMENTS__STRIPE__WEBHOOK_SECRET``) and payments' client secret at users
(``CMH_PAYMENTS__USERS__CLIENT_SECRET``); the service refuses to start without them."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import (
    DatabaseSettings,
    HttpSettings,
    KafkaSettings,
    SettingsError,
    load_settings,
)
from cmh.payments.settings import PaymentsSettings

JWKS_PATH = "/api/v1/auth/jwks"


class PaymentsServiceSettings(msgspec.Struct, frozen=True):
    # Where secrets come from (the environment, or Vault with dynamic database credentials).
    secrets: SecretsSettings = SecretsSettings()
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_payments"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-payments")
    http: HttpSettings = HttpSettings(port=8106)
    payments: PaymentsSettings = PaymentsSettings()
    tokens: TokenSettings = TokenSettings()
    users_url: str = "http://127.0.0.1:8101"
    # Empty: the users service's JWKS at ``users_url`` + /api/v1/auth/jwks.
    jwks_url: str = ""
    # The users service's Redis, where disabling or erasing an account stamps its tokens void.
    token_stamps: TokenStampSettings = TokenStampSettings()
    log_level: str = "INFO"

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


def load_payments_settings(environ: Mapping[str, str] | None = None) -> PaymentsServiceSettings:
    settings = load_settings(PaymentsServiceSettings, environ)
    missing = [
        name
        for name, value in (
            ("CMH_PAYMENTS__STRIPE__API_KEY", settings.payments.stripe.api_key),
            ("CMH_PAYMENTS__STRIPE__WEBHOOK_SECRET", settings.payments.stripe.webhook_secret),
            ("CMH_PAYMENTS__USERS__CLIENT_SECRET", settings.payments.users.client_secret),
        )
        if not value
    ]
    if missing:
        raise SettingsError(f"set {', '.join(missing)} (from the environment or a Secret)")
    return settings
