"""The Notifications service's composition: the Notifications module in the distributed
profile (PostgreSQL, Kafka, Redis Pub/Sub for live push, mail jobs on SQS, mail through
SMTP or SendGrid, users over HTTP with a service token, tokens checked against the users
service's JWKS). Shared by the API and the worker entry points."""

from __future__ import annotations

import msgspec
from dishka import AsyncContainer, Provider

from cmh.apps.notifications.settings import NotificationsServiceSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import Profile, compose
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings
from cmh.notifications.module import NotificationsModule
from cmh.notifications.settings import NotificationsSettings

MODULES = [NotificationsModule()]


def build_container(settings: NotificationsServiceSettings, *overrides: Provider) -> AsyncContainer:
    notifications = settings.notifications
    return compose(
        Profile.DISTRIBUTED,
        MODULES,
        overrides=overrides,
        context={
            DatabaseSettings: settings.database,
            SecretsSettings: settings.secrets,
            KafkaSettings: settings.kafka,
            RedisSettings: settings.redis,
            # One users URL for the JWKS and the profiles it asks for.
            NotificationsSettings: msgspec.structs.replace(
                notifications,
                users=msgspec.structs.replace(notifications.users, url=settings.users_url),
            ),
            TokenSettings: settings.tokens,
            JwksUrl: JwksUrl(settings.resolved_jwks_url),
            TokenStampSettings: settings.token_stamps,
        },
    )
