"""The Content service's composition: the Content module in the distributed profile
(asset metadata and its outbox in MongoDB/FerretDB, S3 + CloudFront or the local
filesystem for the bytes per ``CMH_CONTENT_STORAGE``, Kafka, tokens checked against the
users service's JWKS). Shared by API and worker."""

from __future__ import annotations

from dishka import AsyncContainer, Provider

from cmh.apps.content.settings import ContentServiceSettings
from cmh.content.module import ContentModule
from cmh.content.settings import ContentSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import ContextModule, Profile, compose
from cmh.kernel.settings import KafkaSettings


def modules(settings: ContentServiceSettings) -> list[ContextModule]:
    return [ContentModule(object_storage=settings.content_storage)]


def build_container(settings: ContentServiceSettings, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        modules(settings),
        overrides=overrides,
        context={
            ContentSettings: settings.content,
            KafkaSettings: settings.kafka,
            TokenSettings: settings.tokens,
            JwksUrl: JwksUrl(settings.resolved_jwks_url),
            TokenStampSettings: settings.token_stamps,
        },
    )
