"""The Assessments module composed as the apps compose it, for tests: the MEMORY profile
(``memory_assessments``) and the EMBEDDED profile's HTTP app over a SQLite file
(``build_assessments_test_app``), each with the clock the test drives, the courses
stand-in the test arranges and the local proctoring stand-in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.assessments.adapters.crypto.settings import CredentialKeySettings
from cmh.assessments.adapters.memory.services import LocalProctoring, MemoryCourseCatalog
from cmh.assessments.adapters.proctoring.settings import ProctorioSettings
from cmh.assessments.adapters.sql.migrations import ASSESSMENTS_MIGRATIONS
from cmh.assessments.module import AssessmentsModule
from cmh.assessments.settings import AssessmentsSettings
from cmh.contracts.events.base import IntegrationEvent, wrap
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

PUBLIC_URL = "https://cloudmastershub.test"


class _NoTokens:
    async def authenticate(self, token: str) -> Principal:
        raise AssertionError("use-case tests pass the principal; no token is checked")


def memory_assessments(clock: FrozenClock) -> AsyncContainer:
    return compose(
        Profile.MEMORY,
        [AssessmentsModule()],
        context={AssessmentsSettings: AssessmentsSettings(public_url=PUBLIC_URL)},
        overrides=[replacing((Clock, clock)), adding((Authenticator, _NoTokens()))],
    )


@dataclass
class AssessmentsTestApp:
    app: Litestar
    container: AsyncContainer
    issuer: TokenIssuer
    clock: FrozenClock

    def auth(self, principal: Principal) -> dict[str, str]:
        token = self.issuer.issue_access(principal, now=self.clock.now(), token_id=uuid.uuid4().hex)
        return {"Authorization": f"Bearer {token}"}

    async def courses(self) -> MemoryCourseCatalog:
        return await self.container.get(MemoryCourseCatalog)

    async def proctoring(self) -> LocalProctoring:
        return await self.container.get(LocalProctoring)


async def build_assessments_test_app(
    directory: Path, clock: FrozenClock, proctorio: ProctorioSettings | None = None
) -> AssessmentsTestApp:
    """The EMBEDDED profile's HTTP app over a migrated SQLite file in ``directory``, with
    ``clock``, a credential key file of its own and tokens signed by a test key; Proctorio
    proctors with ``proctorio`` (a fake's), the local stand-in without."""
    key = SigningKey.generate()
    token_settings = TokenSettings()
    authenticator = LocalAuthenticator(TokenVerifier(key.jwks(), token_settings), clock)
    settings = AssessmentsSettings(
        public_url=PUBLIC_URL,
        credential_keys=CredentialKeySettings(key_file=str(directory / "credential-key.pem")),
        proctorio=proctorio or ProctorioSettings(),
    )
    container = compose(
        Profile.EMBEDDED,
        [AssessmentsModule()],
        context={
            AssessmentsSettings: settings,
            DatabaseSettings: DatabaseSettings(
                url=f"sqlite+aiosqlite:///{directory / 'assessments.db'}"
            ),
            InProcessBus: InProcessBus(),
        },
        overrides=[replacing((Clock, clock)), adding((Authenticator, authenticator))],
    )
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, ASSESSMENTS_MIGRATIONS])
    app = create_http_app(
        container=container,
        route_handlers=AssessmentsModule().routes(Profile.EMBEDDED),
        title="Assessments",
        http=HttpSettings(),
    )
    return AssessmentsTestApp(
        app=app, container=container, issuer=TokenIssuer(key, token_settings), clock=clock
    )


async def delivered(container: AsyncContainer, event: IntegrationEvent, event_id: str) -> None:
    """``event`` handed to every subscription of the module that wants it, the way the
    kernel delivers (inbox claim, handler, commit): the same ``event_id`` twice is a
    redelivery."""

    async def never(message: OutgoingMessage) -> None:
        raise AssertionError(f"dead-lettered: {message.headers}")

    envelope = wrap(event, id=event_id, source="test", subject=event_id, time=datetime.now(UTC))
    for subscription in AssessmentsModule().subscriptions():
        if subscription.wants(envelope):
            assert await deliver(container, subscription, envelope, never)
