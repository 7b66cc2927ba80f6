"""Settings of the distributed Assessments service (``CMH_...`` environment variables).

The defaults are the local distributed profile (``make up-distributed``): PostgreSQL
database ``cmh_assessments``, Kafka, the users service's JWKS, the courses service. What
a deployment must give: ``CMH_ASSESSMENTS__CREDENTIAL_KEYS__PRIVATE_KEY_PEM`` (the
certificates' Ed25519 signing key, PKCS#8 PEM: from the environment only; the service
refuses to start without it) and ``CMH_ASSESSMENTS__PUBLIC_URL`` (the gateway's public
address, printed on certificates). Optional: Proctorio for proctored exams
(``CMH_ASSESSMENTS__PROCTORIO__URL``, ``__CONSUMER_KEY``, ``__CONSUMER_SECRET``, from the
environment only; a key without the others refuses to start)."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from cmh.assessments.settings import AssessmentsSettings
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

JWKS_PATH = "/api/v1/auth/jwks"


class AssessmentsServiceSettings(msgspec.Struct, frozen=True):
    # Where secrets come from (the environment, or Vault with dynamic database credentials).
    secrets: SecretsSettings = SecretsSettings()
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_assessments"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-assessments")
    http: HttpSettings = HttpSettings(port=8105)
    assessments: AssessmentsSettings = AssessmentsSettings(public_url="http://127.0.0.1:8080")
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


def load_assessments_settings(
    environ: Mapping[str, str] | None = None,
) -> AssessmentsServiceSettings:
    settings = load_settings(AssessmentsServiceSettings, environ)
    keys = settings.assessments.credential_keys
    if not keys.private_key_pem and not keys.key_file:
        raise SettingsError(
            "set CMH_ASSESSMENTS__CREDENTIAL_KEYS__PRIVATE_KEY_PEM to an Ed25519 private key "
            "(PKCS#8 PEM; `openssl genpkey -algorithm ed25519`): certificates are signed "
            "with it"
        )
    proctorio = settings.assessments.proctorio
    if proctorio.configured and not (proctorio.url and proctorio.consumer_secret):
        raise SettingsError(
            "CMH_ASSESSMENTS__PROCTORIO__CONSUMER_KEY is set: set CMH_ASSESSMENTS__PROCTORIO__URL "
            "(the account's launch endpoint) and CMH_ASSESSMENTS__PROCTORIO__CONSUMER_SECRET too"
        )
    return settings
