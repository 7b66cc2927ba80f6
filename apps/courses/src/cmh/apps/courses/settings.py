"""Settings of the distributed Courses service (``CMH_...`` environment variables).

The defaults are the local distributed profile (``make up-distributed``): PostgreSQL
database ``cmh_courses``, FerretDB database ``cmh_courses``, Redis database 1, and the
users and content services on their own ports."""

from __future__ import annotations

import msgspec

from cmh.courses.settings import ElasticsearchSettings, MongoSettings, ServiceClientSettings
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


class CoursesServiceSettings(msgspec.Struct, frozen=True):
    # Where secrets come from (the environment, or Vault with dynamic database credentials).
    secrets: SecretsSettings = SecretsSettings()
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_courses"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-courses")
    redis: RedisSettings = RedisSettings(url="redis://127.0.0.1:6379/1")
    mongo: MongoSettings = MongoSettings(database="cmh_courses")
    services: ServiceClientSettings = ServiceClientSettings(
        users_url="http://127.0.0.1:8101",
        content_url="http://127.0.0.1:8103",
        labs_url="http://127.0.0.1:8104",
    )
    http: HttpSettings = HttpSettings(port=8102)
    # Catalog search: "postgres" (full text, the fallback) or "elasticsearch".
    search: str = "postgres"
    elasticsearch: ElasticsearchSettings = ElasticsearchSettings()
    # Issuer and audience the access tokens must carry; no private key here.
    tokens: TokenSettings = TokenSettings()
    # Empty: the users service's JWKS at ``services.users_url`` + /api/v1/auth/jwks.
    jwks_url: str = ""
    # The users service's Redis, where disabling or erasing an account stamps its tokens void.
    token_stamps: TokenStampSettings = TokenStampSettings()
    log_level: str = "INFO"

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.services.users_url.rstrip("/") + JWKS_PATH


def load_courses_settings() -> CoursesServiceSettings:
    return load_settings(CoursesServiceSettings)
