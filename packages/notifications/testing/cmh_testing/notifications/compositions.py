"""The Notifications module composed as the apps compose it, for tests: the MEMORY
profile (``memory_notifications``) and the EMBEDDED profile's HTTP app over a SQLite file
(``build_notifications_test_app``), each with the clock the test drives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dishka import AsyncContainer, Provider
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock, FrozenClock
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app
from cmh.notifications.adapters.mail.settings import MailProvider, MailSettings
from cmh.notifications.adapters.memory.services import MemoryMailer
from cmh.notifications.adapters.sql.migrations import NOTIFICATIONS_MIGRATIONS
from cmh.notifications.application.ports import Mailer
from cmh.notifications.module import NotificationsModule
from cmh.notifications.settings import NotificationsSettings
from cmh_testing.kernel.overrides import adding, replacing

PUBLIC_URL = "https://cmh.example"


class _NoTokens:
    async def authenticate(self, token: str) -> Principal:
        raise AssertionError("use-case tests pass the principal; no token is checked")


def memory_notifications(clock: FrozenClock, *replaced: tuple[Any, Any]) -> AsyncContainer:
    """The MEMORY profile with ``clock`` (and whatever else ``replaced`` names, e.g. a
    real mailer); mail jobs wait for ``MemoryMailJobs.drain()``."""
    return compose(
        Profile.MEMORY,
        [NotificationsModule()],
        context={NotificationsSettings: NotificationsSettings(public_url=PUBLIC_URL)},
        overrides=[replacing((Clock, clock), *replaced), adding((Authenticator, _NoTokens()))],
    )


@dataclass
class NotificationsTestApp:
    app: Litestar
    container: AsyncContainer
    issuer: TokenIssuer
    clock: FrozenClock
    mailer: MemoryMailer

    def token(self, principal: Principal) -> str:
        return self.issuer.issue_access(principal, now=self.clock.now(), token_id=uuid.uuid4().hex)

    def auth(self, principal: Principal) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(principal)}"}


async def build_notifications_test_app(
    directory: Path,
    clock: FrozenClock,
    *,
    settings: NotificationsSettings | None = None,
    extra: tuple[Provider, ...] = (),
    mailer: Mailer | None = None,
) -> NotificationsTestApp:
    """The EMBEDDED profile's HTTP app over a migrated SQLite file in ``directory``, with
    ``clock``, a ``MemoryMailer`` (or ``mailer``, a real one) and tokens signed by a key of
    its own (``auth``); mail jobs run in the process."""
    key = SigningKey.generate()
    token_settings = TokenSettings()
    authenticator = LocalAuthenticator(TokenVerifier(key.jwks(), token_settings), clock)
    memory_mailer = MemoryMailer()
    settings = settings or NotificationsSettings(
        public_url=PUBLIC_URL, mail=MailSettings(provider=MailProvider.FILE)
    )
    replaced: list[tuple[Any, Any]] = [(Clock, clock), (Mailer, mailer or memory_mailer)]
    container = compose(
        Profile.EMBEDDED,
        [NotificationsModule()],
        context={
            NotificationsSettings: settings,
            DatabaseSettings: DatabaseSettings(
                url=f"sqlite+aiosqlite:///{directory / 'notifications.db'}"
            ),
            InProcessBus: InProcessBus(),
        },
        overrides=[replacing(*replaced), adding((Authenticator, authenticator)), *extra],
    )
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, NOTIFICATIONS_MIGRATIONS])
    app = create_http_app(
        container=container,
        route_handlers=NotificationsModule().routes(Profile.EMBEDDED),
        title="Notifications",
        http=HttpSettings(),
    )
    return NotificationsTestApp(
        app=app,
        container=container,
        issuer=TokenIssuer(key, token_settings),
        clock=clock,
        mailer=memory_mailer,
    )
