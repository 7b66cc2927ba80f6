"""The Courses service's composition: the Courses module in the distributed profile
(PostgreSQL with full-text search, MongoDB lesson content, Redis catalog cache, Kafka, the
users and content services over HTTP, tokens checked against the users service's JWKS).
Shared by the API and the worker entry points."""

from __future__ import annotations

from dishka import AsyncContainer, Provider

from cmh.apps.courses.settings import CoursesServiceSettings
from cmh.courses.module import CoursesModule
from cmh.courses.settings import ElasticsearchSettings, MongoSettings, ServiceClientSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import Profile, compose
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings

MODULES = [CoursesModule()]


def modules_for(settings: CoursesServiceSettings) -> list[CoursesModule]:
    """The catalog search the settings choose (PostgreSQL full text unless told otherwise)."""
    return [CoursesModule(search=settings.search)]


def build_container(settings: CoursesServiceSettings, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        modules_for(settings),
        overrides=overrides,
        context={
            DatabaseSettings: settings.database,
            SecretsSettings: settings.secrets,
            KafkaSettings: settings.kafka,
            RedisSettings: settings.redis,
            MongoSettings: settings.mongo,
            ElasticsearchSettings: settings.elasticsearch,
            ServiceClientSettings: settings.services,
            TokenSettings: settings.tokens,
            JwksUrl: JwksUrl(settings.resolved_jwks_url),
            TokenStampSettings: settings.token_stamps,
        },
    )
