"""Each context's distributed composition, as its own app composes it (the same module,
profile and settings), over the stores the app uses: the seed writes where the app reads,
and its events wait in the context's outbox for the app's relay."""

from __future__ import annotations

import msgspec
from dishka import AsyncContainer, Provider

from cmh.apps.seed.settings import (
    AssessmentsApp,
    ContentApp,
    CoursesApp,
    ForumApp,
    LabsApp,
    PaymentsApp,
    UsersApp,
)
from cmh.assessments.module import AssessmentsModule
from cmh.assessments.settings import AssessmentsSettings
from cmh.content.module import ContentModule
from cmh.content.settings import ContentSettings
from cmh.courses.module import CoursesModule
from cmh.courses.settings import MongoSettings, ServiceClientSettings
from cmh.forum.module import ForumModule
from cmh.forum.settings import ForumSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings
from cmh.labs.module import LabsModule
from cmh.labs.settings import LabsSettings
from cmh.payments.module import PaymentsModule
from cmh.payments.settings import PaymentsSettings
from cmh.users.module import UsersModule
from cmh.users.settings import UsersSettings


def users_container(app: UsersApp, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [UsersModule()],
        overrides=overrides,
        context={
            DatabaseSettings: app.database,
            KafkaSettings: app.kafka,
            RedisSettings: app.redis,
            TokenStampSettings: TokenStampSettings(url=app.redis.url),
            TokenSettings: app.tokens,
            UsersSettings: app.users,
        },
    )


def content_container(app: ContentApp, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [ContentModule(object_storage=app.content_storage)],
        overrides=overrides,
        context={
            ContentSettings: app.content,
            KafkaSettings: app.kafka,
            TokenSettings: app.tokens,
            JwksUrl: JwksUrl(app.resolved_jwks_url),
            TokenStampSettings: app.token_stamps,
        },
    )


def labs_container(app: LabsApp, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [LabsModule()],
        overrides=overrides,
        context={
            DatabaseSettings: app.database,
            KafkaSettings: app.kafka,
            LabsSettings: msgspec.structs.replace(
                app.labs, users=msgspec.structs.replace(app.labs.users, url=app.users_url)
            ),
            TokenSettings: app.tokens,
            JwksUrl: JwksUrl(app.resolved_jwks_url),
            TokenStampSettings: app.token_stamps,
        },
    )


def courses_container(app: CoursesApp, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [CoursesModule()],
        overrides=overrides,
        context={
            DatabaseSettings: app.database,
            KafkaSettings: app.kafka,
            RedisSettings: app.redis,
            MongoSettings: app.mongo,
            ServiceClientSettings: app.services,
            TokenSettings: app.tokens,
            JwksUrl: JwksUrl(app.resolved_jwks_url),
            TokenStampSettings: app.token_stamps,
        },
    )


def assessments_container(app: AssessmentsApp, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [AssessmentsModule()],
        overrides=overrides,
        context={
            DatabaseSettings: app.database,
            KafkaSettings: app.kafka,
            AssessmentsSettings: msgspec.structs.replace(
                app.assessments,
                courses=msgspec.structs.replace(app.assessments.courses, url=app.courses_url),
            ),
            TokenSettings: app.tokens,
            JwksUrl: JwksUrl(app.resolved_jwks_url),
            TokenStampSettings: app.token_stamps,
        },
    )


def payments_container(app: PaymentsApp, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [PaymentsModule()],
        overrides=overrides,
        context={
            DatabaseSettings: app.database,
            KafkaSettings: app.kafka,
            PaymentsSettings: msgspec.structs.replace(
                app.payments, users=msgspec.structs.replace(app.payments.users, url=app.users_url)
            ),
            TokenSettings: app.tokens,
            JwksUrl: JwksUrl(app.resolved_jwks_url),
            TokenStampSettings: app.token_stamps,
        },
    )


def forum_container(app: ForumApp, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        [ForumModule(search=app.forum.search.engine)],
        overrides=overrides,
        context={
            ForumSettings: app.forum,
            KafkaSettings: app.kafka,
            TokenSettings: app.tokens,
            JwksUrl: JwksUrl(app.resolved_jwks_url),
            TokenStampSettings: app.token_stamps,
        },
    )
