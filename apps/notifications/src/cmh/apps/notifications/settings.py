"""Settings of the distributed Notifications service (``CMH_...`` environment variables).

The defaults are the local distributed profile (``make up-distributed``): PostgreSQL
database ``cmh_notifications``, Kafka, Redis, the users service's JWKS, mailpit's SMTP and
infra/local's moto for the SQS mail queue. What a deployment must give:
``CMH_NOTIFICATIONS__UNSUBSCRIBE_KEY`` (the key of unsubscribe links: from the
environment only, the service refuses to start without it) and
``CMH_NOTIFICATIONS__USERS__CLIENT_SECRET`` (its service client's secret at users)."""

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
    RedisSettings,
    SettingsError,
    load_settings,
)
from cmh.notifications.settings import NotificationsSettings

JWKS_PATH = "/api/v1/auth/jwks"


class WorkerSettings(msgspec.Struct, frozen=True):
    # On shutdown, how long a running mail job or timer pass may finish.
    shutdown_grace_seconds: float = 5.0


class NotificationsServiceSettings(msgspec.Struct, frozen=True):
    # Where secrets come from (the environment, or Vault with dynamic database credentials).
    secrets: SecretsSettings = SecretsSettings()
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_notifications"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-notifications")
    redis: RedisSettings = RedisSettings()
    http: HttpSettings = HttpSettings(port=8107)
    notifications: NotificationsSettings = NotificationsSettings()
    worker: WorkerSettings = WorkerSettings()
    # Issuer and audience the access tokens must carry; no private key here.
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


def load_notifications_settings(
    environ: Mapping[str, str] | None = None,
) -> NotificationsServiceSettings:
    settings = load_settings(NotificationsServiceSettings, environ)
    if not settings.notifications.unsubscribe_key:
        raise SettingsError(
            "set CMH_NOTIFICATIONS__UNSUBSCRIBE_KEY to 32 random bytes or more in base64 "
            "(unsubscribe links are signed with it); e.g. `openssl rand -base64 32`"
        )
    return settings
