"""The Forum service's composition: the Forum module in the distributed profile (boards
and threads with their outbox in MongoDB/FerretDB, Kafka, courses over HTTP, search in
Elasticsearch per ``CMH_FORUM__SEARCH__ENGINE``, tokens checked against the users
service's JWKS). Shared by API and worker."""

from __future__ import annotations

from dishka import AsyncContainer, Provider

from cmh.apps.forum.settings import ForumServiceSettings
from cmh.forum.module import ForumModule
from cmh.forum.settings import ForumSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import ContextModule, Profile, compose
from cmh.kernel.settings import KafkaSettings


def modules(settings: ForumServiceSettings) -> list[ContextModule]:
    return [ForumModule(search=settings.forum.search.engine)]


def build_container(settings: ForumServiceSettings, *overrides: Provider) -> AsyncContainer:
    return compose(
        Profile.DISTRIBUTED,
        modules(settings),
        overrides=overrides,
        context={
            ForumSettings: settings.forum,
            KafkaSettings: settings.kafka,
            TokenSettings: settings.tokens,
            JwksUrl: JwksUrl(settings.resolved_jwks_url),
            TokenStampSettings: settings.token_stamps,
        },
    )
