"""Settings of the distributed Labs service (``CMH_...`` environment variables).

The defaults are the local distributed profile (``make up-distributed``): PostgreSQL
database ``cmh_labs``, Kafka, the users service's JWKS. What a deployment must give:
``CMH_LABS__VAULT__KEY`` (the credentials key: from the environment only, the service
refuses to start without it), the AWS endpoint (``CMH_LABS__AWS__ENDPOINT_URL``: empty for
AWS itself, a moto server locally) and the operator's keys (or boto3's usual chain; on
moto, ``CMH_MOTO_OPERATOR=true`` makes one)."""

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
from cmh.labs.settings import LabsSettings

JWKS_PATH = "/api/v1/auth/jwks"


class TimerSettings(msgspec.Struct, frozen=True):
    """How often the worker settles the ready sessions (cost, budget cap, expiry) and
    looks for orphaned cloud resources. The reaper runs at least every minute: the cost so
    far is promised to be at most a minute old and the budget cap to stop a session within
    two minutes."""

    reaper_seconds: float = 30.0
    reconciler_seconds: float = 300.0
    # How soon a warm pool's claimed environment is replaced.
    warm_pool_seconds: float = 15.0
    # On shutdown, how long a running job or pass may finish before it is cut short (the
    # job loop may also be waiting in a long poll). A job cut short reappears on the queue
    # after its visibility timeout and resumes: jobs are idempotent.
    shutdown_grace_seconds: float = 5.0


class LabsServiceSettings(msgspec.Struct, frozen=True):
    # Where secrets come from (the environment, or Vault with dynamic database credentials).
    secrets: SecretsSettings = SecretsSettings()
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_labs"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-labs")
    http: HttpSettings = HttpSettings(port=8104)
    labs: LabsSettings = LabsSettings()
    timers: TimerSettings = TimerSettings()
    # Issuer and audience the access tokens must carry; no private key here.
    tokens: TokenSettings = TokenSettings()
    users_url: str = "http://127.0.0.1:8101"
    # Where a moto server stands in for AWS: make the operator there at start (see
    # cmh.apps.labs.moto_operator) instead of reading CMH_LABS__AWS__ACCESS_KEY_ID.
    moto_operator: bool = False
    # Empty: the users service's JWKS at ``users_url`` + /api/v1/auth/jwks.
    jwks_url: str = ""
    # The users service's Redis, where disabling or erasing an account stamps its tokens void.
    token_stamps: TokenStampSettings = TokenStampSettings()
    log_level: str = "INFO"

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


def load_labs_settings(environ: Mapping[str, str] | None = None) -> LabsServiceSettings:
    settings = load_settings(LabsServiceSettings, environ)
    if not settings.labs.vault.key:
        raise SettingsError(
            "set CMH_LABS__VAULT__KEY to 32 random bytes in base64 (the learners' cloud "
            "credentials are encrypted under it); e.g. `openssl rand -base64 32`"
        )
    if settings.timers.reaper_seconds > 60:
        raise SettingsError("CMH_TIMERS__REAPER_SECONDS must be at most 60 (cost is per minute)")
    return settings
