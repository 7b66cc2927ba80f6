"""The Labs service's composition: the Labs module in the distributed profile
(PostgreSQL, Kafka, AWS through boto3, lab jobs on SQS, the credentials vault under the
configured key, tokens checked against the users service's JWKS). Shared by the API and
the worker entry points."""

from __future__ import annotations

import msgspec
from dishka import AsyncContainer, Provider

from cmh.apps.labs.settings import LabsServiceSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import Profile, compose
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh.labs.module import LabsModule
from cmh.labs.settings import LabsSettings

MODULES = [LabsModule()]


def build_container(settings: LabsServiceSettings, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        MODULES,
        overrides=overrides,
        context={
            DatabaseSettings: settings.database,
            SecretsSettings: settings.secrets,
            KafkaSettings: settings.kafka,
            # One users URL for the JWKS and the entitlements it asks for.
            LabsSettings: msgspec.structs.replace(
                settings.labs,
                users=msgspec.structs.replace(settings.labs.users, url=settings.users_url),
            ),
            TokenSettings: settings.tokens,
            JwksUrl: JwksUrl(settings.resolved_jwks_url),
            TokenStampSettings: settings.token_stamps,
        },
    )
