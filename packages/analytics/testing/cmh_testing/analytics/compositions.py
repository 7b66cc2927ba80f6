"""The Analytics module composed as the apps compose it, for tests: the MEMORY profile
(``memory_analytics``) and the EMBEDDED profile's HTTP app over a SQLite file
(``build_analytics_test_app``), each with the clock the test drives and the courses and
users stand-ins the test arranges."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.analytics.adapters.memory.services import MemoryCourseDirectory, MemoryLearnerProfiles
from cmh.analytics.adapters.sql.migrations import ANALYTICS_MIGRATIONS
from cmh.analytics.module import AnalyticsModule
from cmh.analytics.settings import AnalyticsSettings
from cmh.contracts.events.base import IntegrationEvent, wrap
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock, FrozenClock
from cmh.kernel.messaging.delivery import deliver, deliver_batch
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app
from cmh_testing.kernel.overrides import adding, replacing


class _NoTokens:
    async def authenticate(self, token: str) -> Principal:
        raise AssertionError("use-case tests pass the principal; no token is checked")


def memory_analytics(clock: FrozenClock, **settings: Any) -> AsyncContainer:
    """``settings``: fields of ``AnalyticsSettings`` other than their defaults."""
    return compose(
        Profile.MEMORY,
        [AnalyticsModule()],
        context={AnalyticsSettings: AnalyticsSettings(**settings)},
        overrides=[replacing((Clock, clock)), adding((Authenticator, _NoTokens()))],
    )


@dataclass
class AnalyticsTestApp:
    app: Litestar
    container: AsyncContainer
    issuer: TokenIssuer
    clock: FrozenClock

    def auth(self, principal: Principal) -> dict[str, str]:
        token = self.issuer.issue_access(principal, now=self.clock.now(), token_id=uuid.uuid4().hex)
        return {"Authorization": f"Bearer {token}"}

    async def courses(self) -> MemoryCourseDirectory:
        return await self.container.get(MemoryCourseDirectory)

    async def profiles(self) -> MemoryLearnerProfiles:
        return await self.container.get(MemoryLearnerProfiles)


async def build_analytics_test_app(directory: Path, clock: FrozenClock) -> AnalyticsTestApp:
    """The EMBEDDED profile's HTTP app over a migrated SQLite file in ``directory``, with
    ``clock`` and tokens signed by a test key."""
    key = SigningKey.generate()
    token_settings = TokenSettings()
    authenticator = LocalAuthenticator(TokenVerifier(key.jwks(), token_settings), clock)
    container = compose(
        Profile.EMBEDDED,
        [AnalyticsModule()],
        context={
            AnalyticsSettings: AnalyticsSettings(),
            DatabaseSettings: DatabaseSettings(
                url=f"sqlite+aiosqlite:///{directory / 'analytics.db'}"
            ),
            InProcessBus: InProcessBus(),
        },
        overrides=[replacing((Clock, clock)), adding((Authenticator, authenticator))],
    )
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, ANALYTICS_MIGRATIONS])
    app = create_http_app(
        container=container,
        route_handlers=AnalyticsModule().routes(Profile.EMBEDDED),
        title="Analytics",
        http=HttpSettings(),
    )
    return AnalyticsTestApp(
        app=app, container=container, issuer=TokenIssuer(key, token_settings), clock=clock
    )


async def delivered(container: AsyncContainer, event: IntegrationEvent, event_id: str) -> None:
    """``event`` handed to every subscription of the module that wants it, the way the
    kernel delivers (inbox claim, handler, commit): the same ``event_id`` twice is a
    redelivery."""

    async def never(message: OutgoingMessage) -> None:
        raise AssertionError(f"dead-lettered: {message.headers}")

    envelope = wrap(event, id=event_id, source="test", subject=event_id, time=datetime.now(UTC))
    for subscription in AnalyticsModule().subscriptions():
        if subscription.wants(envelope):
            assert await deliver(container, subscription, envelope, never)


async def batch_delivered(
    container: AsyncContainer, events: list[tuple[IntegrationEvent, str]]
) -> None:
    """``(event, event_id)`` pairs handed as one batch to every batched subscription of the
    module that wants some of them, the way the Kafka adapter's batch subscriber does."""

    async def never(message: OutgoingMessage) -> None:
        raise AssertionError(f"dead-lettered: {message.headers}")

    envelopes = [
        wrap(event, id=event_id, source="test", subject=event_id, time=datetime.now(UTC))
        for event, event_id in events
    ]
    for subscription in AnalyticsModule().subscriptions():
        if subscription.batch_handler is not None:
            await deliver_batch(container, subscription, envelopes, never)
