"""Settings of the distributed Users service (``CMH_...`` environment variables).
The token signing key must come from the environment (or a mounted file): this
deployable refuses to start without one rather than mint a throwaway key."""

from __future__ import annotations

import msgspec

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
from cmh.users.settings import UsersSettings


class BootstrapAdmin(msgspec.Struct, frozen=True):
    """The first administrator, created or promoted by `migrate` when both are set
    (``CMH_BOOTSTRAP_ADMIN__EMAIL`` / ``CMH_BOOTSTRAP_ADMIN__PASSWORD``)."""

    email: str = ""
    password: str = ""
    display_name: str = "Platform Admin"


class UsersServiceSettings(msgspec.Struct, frozen=True):
    # Where secrets come from (the environment, or Vault with dynamic database credentials).
    secrets: SecretsSettings = SecretsSettings()
    database: DatabaseSettings = DatabaseSettings(
        url="postgresql+asyncpg://cmh:cmh@127.0.0.1:5432/cmh_users"
    )
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-users")
    redis: RedisSettings = RedisSettings()
    http: HttpSettings = HttpSettings(port=8101)
    tokens: TokenSettings = TokenSettings()
    users: UsersSettings = UsersSettings()
    bootstrap_admin: BootstrapAdmin = BootstrapAdmin()
    log_level: str = "INFO"


def load_users_settings() -> UsersServiceSettings:
    settings = load_settings(UsersServiceSettings)
    if not (settings.tokens.private_key_pem or settings.tokens.private_key_file):
        raise SettingsError(
            "set CMH_TOKENS__PRIVATE_KEY_FILE (or CMH_TOKENS__PRIVATE_KEY_PEM) to an Ed25519 "
            "private key in PEM; e.g. `openssl genpkey -algorithm ed25519 -out users-signing.pem`"
        )
    return settings
