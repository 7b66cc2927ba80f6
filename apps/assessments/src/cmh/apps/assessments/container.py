"""The Assessments service's composition: the Assessments module in the distributed
profile (PostgreSQL, Kafka, courses over HTTP, the configured credential key, tokens
checked against the users service's JWKS). Shared by the API and the worker."""

from __future__ import annotations

import msgspec
from dishka import AsyncContainer, Provider

from cmh.apps.assessments.settings import AssessmentsServiceSettings
from cmh.assessments.module import AssessmentsModule
from cmh.assessments.settings import AssessmentsSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import Profile, compose
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import DatabaseSettings, KafkaSettings

MODULES = [AssessmentsModule()]


def build_container(settings: AssessmentsServiceSettings, *overrides: Provider) -> AsyncContainer:
    assessments = settings.assessments
    return compose(
        Profile.DISTRIBUTED,
        MODULES,
        overrides=overrides,
        context={
            DatabaseSettings: settings.database,
            SecretsSettings: settings.secrets,
            KafkaSettings: settings.kafka,
            AssessmentsSettings: msgspec.structs.replace(
                assessments,
                courses=msgspec.structs.replace(assessments.courses, url=settings.courses_url),
            ),
            TokenSettings: settings.tokens,
            JwksUrl: JwksUrl(settings.resolved_jwks_url),
            TokenStampSettings: settings.token_stamps,
        },
    )
