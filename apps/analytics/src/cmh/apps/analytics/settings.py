"""Settings of the distributed Analytics service (``CMH_...`` environment variables).

The defaults are the local distributed profile (``make up-distributed``): PostgreSQL
database ``cmh_analytics`` (the warehouse of its own), Kafka, the users service (JWKS and
learners' interests), the courses service (course ownership), Redis (Pub/Sub of the
live counters). Optional: Mixpanel
(``CMH_ANALYTICS__MIXPANEL__TOKEN`` and ``__PSEUDONYM_KEY``, from the environment only)."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from cmh.analytics.settings import AnalyticsSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import (
    DatabaseSettings,
    HttpSettings,
    KafkaSettings,
    RedisSettings,
    load_settings,
)

JWKS_PATH = "/api/v1/auth/jwks"


class AnalyticsServiceSettings(msgspec.Struct, frozen=True):
    # Where secrets come from (the environment, or Vault with dynamic database credentials).
    secrets: SecretsSettings = SecretsSettings()
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_analytics"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-analytics")
    http: HttpSettings = HttpSettings(port=8108)
    # Pub/Sub of the admins' live counters.
    redis: RedisSettings = RedisSettings(url="redis://127.0.0.1:6379/3")
    analytics: AnalyticsSettings = AnalyticsSettings()
    # Issuer and audience the access tokens must carry; no private key here.
    tokens: TokenSettings = TokenSettings()
    users_url: str = "http://127.0.0.1:8101"
    courses_url: str = "http://127.0.0.1:8102"
    # Empty: the users service's JWKS at ``users_url`` + /api/v1/auth/jwks.
    jwks_url: str = ""
    # The users service's Redis, where disabling or erasing an account stamps its tokens void.
    token_stamps: TokenStampSettings = TokenStampSettings()
    log_level: str = "INFO"

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


def load_analytics_settings(environ: Mapping[str, str] | None = None) -> AnalyticsServiceSettings:
    return load_settings(AnalyticsServiceSettings, environ)
