"""The Users service's composition: the Users module in the distributed profile
(PostgreSQL, Redis, Kafka, Auth0), shared by the API and the worker entry points."""

from __future__ import annotations

from dishka import AsyncContainer, Provider

from cmh.apps.users.settings import UsersServiceSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import KafkaDeadLettersProvider
from cmh.kernel.module import Profile, compose
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings
from cmh.users.di import NotificationsMailerProvider
from cmh.users.module import UsersModule
from cmh.users.settings import UsersSettings

MODULES = [UsersModule()]


def build_container(settings: UsersServiceSettings, *overrides: Provider) -> AsyncContainer:
    # Account mail through notifications when its URL is configured (it owns every mail).
    mail = [NotificationsMailerProvider()] if settings.users.account_mail.notifications_url else []
    return compose(
        Profile.DISTRIBUTED,
        MODULES,
        # The admin routes are this service's behind the gateway: the dead letters too.
        overrides=[*mail, KafkaDeadLettersProvider(), *overrides],
        context={
            DatabaseSettings: settings.database,
            SecretsSettings: settings.secrets,
            KafkaSettings: settings.kafka,
            RedisSettings: settings.redis,
            # The gateway reads the stamps of disabled or erased accounts from this Redis.
            TokenStampSettings: TokenStampSettings(url=settings.redis.url),
            TokenSettings: settings.tokens,
            UsersSettings: settings.users,
        },
    )
