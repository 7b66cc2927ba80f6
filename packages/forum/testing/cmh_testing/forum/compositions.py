"""The Forum module composed as the apps compose it, for tests: the MEMORY profile
(``memory_forum``) and the EMBEDDED profile's HTTP app with its SQL stores and outbox over
a SQLite file (``build_forum_test_app``), each with the clock the test drives and the courses
and users stand-ins the test arranges."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.contracts.events.base import IntegrationEvent, wrap
from cmh.forum.adapters.memory.stand_ins import MemoryCourseMembers, MemoryUserDirectory
from cmh.forum.adapters.sql.migrations import FORUM_MIGRATIONS
from cmh.forum.module import ForumModule
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock, FrozenClock
from cmh.kernel.messaging.delivery import deliver
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


def memory_forum(clock: FrozenClock) -> AsyncContainer:
    return compose(
        Profile.MEMORY,
        [ForumModule()],
        context={},
        overrides=[replacing((Clock, clock)), adding((Authenticator, _NoTokens()))],
    )


@dataclass
class ForumTestApp:
    app: Litestar
    container: AsyncContainer
    issuer: TokenIssuer
    clock: FrozenClock

    def auth(self, principal: Principal) -> dict[str, str]:
        token = self.issuer.issue_access(principal, now=self.clock.now(), token_id=uuid.uuid4().hex)
        return {"Authorization": f"Bearer {token}"}

    async def members(self) -> MemoryCourseMembers:
        return await self.container.get(MemoryCourseMembers)

    async def directory(self) -> MemoryUserDirectory:
        """The users stand-in: arrange its ``handles`` (handle to user id)."""
        return await self.container.get(MemoryUserDirectory)


async def build_forum_test_app(directory: Path, clock: FrozenClock) -> ForumTestApp:
    """The EMBEDDED profile's HTTP app (its outbox in a migrated SQLite file in
    ``directory``), with ``clock`` and tokens signed by a test key."""
    key = SigningKey.generate()
    token_settings = TokenSettings()
    authenticator = LocalAuthenticator(TokenVerifier(key.jwks(), token_settings), clock)
    container = compose(
        Profile.EMBEDDED,
        [ForumModule()],
        context={
            DatabaseSettings: DatabaseSettings(url=f"sqlite+aiosqlite:///{directory / 'forum.db'}"),
            InProcessBus: InProcessBus(),
        },
        overrides=[replacing((Clock, clock)), adding((Authenticator, authenticator))],
    )
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, FORUM_MIGRATIONS])
    await ForumModule().prepare(Profile.EMBEDDED, container, lambda _: None)
    app = create_http_app(
        container=container,
        route_handlers=ForumModule().routes(Profile.EMBEDDED),
        title="Forum",
        http=HttpSettings(),
    )
    return ForumTestApp(
        app=app, container=container, issuer=TokenIssuer(key, token_settings), clock=clock
    )


async def delivered(container: AsyncContainer, event: IntegrationEvent, event_id: str) -> None:
    """``event`` handed to every subscription of the module that wants it, the way the
    kernel delivers (inbox claim, handler, commit): the same ``event_id`` twice is a
    redelivery."""

    async def never(message: OutgoingMessage) -> None:
        raise AssertionError(f"dead-lettered: {message.headers}")

    envelope = wrap(event, id=event_id, source="test", subject=event_id, time=datetime.now(UTC))
    for subscription in ForumModule().subscriptions():
        if subscription.wants(envelope):
            assert await deliver(container, subscription, envelope, never)
