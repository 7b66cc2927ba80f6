"""The Analytics service's composition: the Analytics module in the distributed profile
(PostgreSQL warehouse, Kafka, Redis Pub/Sub, courses and users over HTTP, Mixpanel when configured,
tokens checked against the users service's JWKS). Shared by the API and the worker."""

from __future__ import annotations

import msgspec
from dishka import AsyncContainer, Provider

from cmh.analytics.module import AnalyticsModule
from cmh.analytics.settings import AnalyticsSettings
from cmh.apps.analytics.settings import AnalyticsServiceSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import Profile, compose
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings

MODULES = [AnalyticsModule()]


def build_container(settings: AnalyticsServiceSettings, *overrides: Provider) -> AsyncContainer:
    analytics = settings.analytics
    return compose(
        Profile.DISTRIBUTED,
        MODULES,
        overrides=overrides,
        context={
            DatabaseSettings: settings.database,
            SecretsSettings: settings.secrets,
            KafkaSettings: settings.kafka,
            RedisSettings: settings.redis,
            AnalyticsSettings: msgspec.structs.replace(
                analytics,
                courses=msgspec.structs.replace(analytics.courses, url=settings.courses_url),
                users=msgspec.structs.replace(analytics.users, url=settings.users_url),
            ),
            TokenSettings: settings.tokens,
            JwksUrl: JwksUrl(settings.resolved_jwks_url),
            TokenStampSettings: settings.token_stamps,
        },
    )
