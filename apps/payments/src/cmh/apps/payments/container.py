"""The Payments service's composition: the Payments module in the distributed profile
(PostgreSQL, Kafka, Stripe through its SDK, users over HTTP with a service token, tokens
checked against the users service's JWKS). Shared by the API and the worker."""

from __future__ import annotations

import msgspec
from dishka import AsyncContainer, Provider

from cmh.apps.payments.settings import PaymentsServiceSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import JwksUrl
from cmh.kernel.module import Profile, compose
from cmh.kernel.secrets.settings import SecretsSettings
from cmh.kernel.settings import DatabaseSettings, KafkaSettings
from cmh.payments.module import PaymentsModule
from cmh.payments.settings import PaymentsSettings

MODULES = [PaymentsModule()]


def build_container(settings: PaymentsServiceSettings, *overrides: Provider) -> AsyncContainer:
    payments = settings.payments
    return compose(
        Profile.DISTRIBUTED,
        MODULES,
        overrides=overrides,
        context={
            DatabaseSettings: settings.database,
            SecretsSettings: settings.secrets,
            KafkaSettings: settings.kafka,
            # One users URL for the JWKS and the tier endpoint.
            PaymentsSettings: msgspec.structs.replace(
                payments, users=msgspec.structs.replace(payments.users, url=settings.users_url)
            ),
            TokenSettings: settings.tokens,
            JwksUrl: JwksUrl(settings.resolved_jwks_url),
            TokenStampSettings: settings.token_stamps,
        },
    )
