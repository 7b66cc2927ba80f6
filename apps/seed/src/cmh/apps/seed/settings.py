"""Settings of the demo seed job (``CMH_...`` environment variables).

The job writes into each context's own stores, so it is given each app's own settings
under the app's name: the users app's ``CMH_DATABASE__URL`` is the job's
``CMH_USERS__DATABASE__URL``, the labs app's ``CMH_LABS__VAULT__KEY`` is
``CMH_LABS__LABS__VAULT__KEY``, and so on (``infra/distributed/up.sh`` derives them from
the environment each app gets). ``CMH_DEMO__SEED=false`` (production) seeds nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import msgspec

from cmh.assessments.settings import AssessmentsSettings
from cmh.content.settings import ContentSettings
from cmh.courses.settings import MongoSettings, ServiceClientSettings
from cmh.forum.settings import ForumSearchSettings, ForumSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.settings import (
    DatabaseSettings,
    KafkaSettings,
    RedisSettings,
    SettingsError,
    load_settings,
)
from cmh.labs.settings import LabsSettings
from cmh.payments.settings import PaymentsSettings
from cmh.users.settings import UsersSettings

JWKS_PATH = "/api/v1/auth/jwks"
USERS_URL = "http://127.0.0.1:8101"


class DemoSettings(msgspec.Struct, frozen=True):
    # False in production: the job then changes nothing and says so.
    seed: bool = True


class UsersApp(msgspec.Struct, frozen=True):
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_users"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-seed")
    redis: RedisSettings = RedisSettings()
    # The signing key: the seed acts as the demo instructor towards content and labs.
    tokens: TokenSettings = TokenSettings()
    users: UsersSettings = UsersSettings()


class ContentApp(msgspec.Struct, frozen=True):
    content: ContentSettings = ContentSettings(
        mongo_db="cmh_content", public_base_url="http://127.0.0.1:8103"
    )
    content_storage: Literal["local", "s3"] = "local"
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-seed")
    tokens: TokenSettings = TokenSettings()
    users_url: str = USERS_URL
    jwks_url: str = ""
    token_stamps: TokenStampSettings = TokenStampSettings()

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


class LabsApp(msgspec.Struct, frozen=True):
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_labs"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-seed")
    labs: LabsSettings = LabsSettings()
    tokens: TokenSettings = TokenSettings()
    users_url: str = USERS_URL
    jwks_url: str = ""
    token_stamps: TokenStampSettings = TokenStampSettings()

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


class CoursesApp(msgspec.Struct, frozen=True):
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_courses"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-seed")
    redis: RedisSettings = RedisSettings(url="redis://127.0.0.1:6379/1")
    mongo: MongoSettings = MongoSettings(database="cmh_courses")
    services: ServiceClientSettings = ServiceClientSettings(
        users_url=USERS_URL,
        content_url="http://127.0.0.1:8103",
        labs_url="http://127.0.0.1:8104",
    )
    tokens: TokenSettings = TokenSettings()
    jwks_url: str = ""
    token_stamps: TokenStampSettings = TokenStampSettings()

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.services.users_url.rstrip("/") + JWKS_PATH


class AssessmentsApp(msgspec.Struct, frozen=True):
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_assessments"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-seed")
    assessments: AssessmentsSettings = AssessmentsSettings(public_url="http://127.0.0.1:8080")
    tokens: TokenSettings = TokenSettings()
    users_url: str = USERS_URL
    courses_url: str = "http://127.0.0.1:8102"
    jwks_url: str = ""
    token_stamps: TokenStampSettings = TokenStampSettings()

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


class PaymentsApp(msgspec.Struct, frozen=True):
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_payments"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-seed")
    payments: PaymentsSettings = PaymentsSettings()
    tokens: TokenSettings = TokenSettings()
    users_url: str = USERS_URL
    jwks_url: str = ""
    token_stamps: TokenStampSettings = TokenStampSettings()

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


class ForumApp(msgspec.Struct, frozen=True):
    forum: ForumSettings = ForumSettings(search=ForumSearchSettings(engine="elasticsearch"))
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-seed")
    tokens: TokenSettings = TokenSettings()
    users_url: str = USERS_URL
    jwks_url: str = ""
    token_stamps: TokenStampSettings = TokenStampSettings()

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


class SeedSettings(msgspec.Struct, frozen=True):
    demo: DemoSettings = DemoSettings()
    users: UsersApp = UsersApp()
    content: ContentApp = ContentApp()
    labs: LabsApp = LabsApp()
    courses: CoursesApp = CoursesApp()
    assessments: AssessmentsApp = AssessmentsApp()
    payments: PaymentsApp = PaymentsApp()
    forum: ForumApp = ForumApp()
    log_level: str = "INFO"


def load_seed_settings(environ: Mapping[str, str] | None = None) -> SeedSettings:
    settings = load_settings(SeedSettings, environ)
    tokens = settings.users.tokens
    if settings.demo.seed and not (tokens.private_key_pem or tokens.private_key_file):
        raise SettingsError(
            "set CMH_USERS__TOKENS__PRIVATE_KEY_FILE to the users service's signing key: the "
            "seed calls the content and labs services as the demo instructor"
        )
    return settings
