"""The Labs module composed as the apps compose it, for tests: the MEMORY profile
(``memory_labs``) and the EMBEDDED profile's HTTP app over a SQLite file
(``build_labs_test_app``), each with the clock the test drives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.contracts.events.base import IntegrationEvent, wrap
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock, FrozenClock, IdGenerator
from cmh.kernel.messaging.delivery import deliver
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.messaging.ports import OutgoingMessage
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app
from cmh.labs.adapters.memory.cloud import MemoryCloudLabs
from cmh.labs.adapters.sql.migrations import LABS_MIGRATIONS
from cmh.labs.application.ports import CloudLabs
from cmh.labs.module import LabsModule
from cmh.labs.settings import LabsSettings
from cmh_testing.kernel.overrides import adding, replacing


class _NoTokens:
    async def authenticate(self, token: str) -> Principal:
        raise AssertionError("use-case tests pass the principal; no token is checked")


def memory_labs(clock: FrozenClock) -> AsyncContainer:
    """The MEMORY profile with ``clock``; jobs wait for ``MemoryLabJobs.drain()``."""
    return compose(
        Profile.MEMORY,
        [LabsModule()],
        context={LabsSettings: LabsSettings()},
        overrides=[replacing((Clock, clock)), adding((Authenticator, _NoTokens()))],
    )


@dataclass
class LabsTestApp:
    app: Litestar
    container: AsyncContainer
    issuer: TokenIssuer
    clock: FrozenClock
    # The clouds in memory, unless the app runs on the embedded moto server and simulators.
    clouds: MemoryCloudLabs | None

    def auth(self, principal: Principal) -> dict[str, str]:
        token = self.issuer.issue_access(principal, now=self.clock.now(), token_id=uuid.uuid4().hex)
        return {"Authorization": f"Bearer {token}"}


async def build_labs_test_app(
    directory: Path,
    clock: FrozenClock,
    *,
    real_clouds: bool = False,
    ids: IdGenerator | None = None,
) -> LabsTestApp:
    """The EMBEDDED profile's HTTP app over a migrated SQLite file in ``directory``, with
    ``clock`` and tokens signed by a key of its own (``auth``); jobs run in the process.
    The clouds are ``MemoryCloudLabs`` unless ``real_clouds`` keeps the profile's own
    (AWS on the in-process moto server, Azure and GCP simulators); ``ids``, when given,
    makes the ids."""
    key = SigningKey.generate()
    token_settings = TokenSettings()
    authenticator = LocalAuthenticator(TokenVerifier(key.jwks(), token_settings), clock)
    clouds = None if real_clouds else MemoryCloudLabs(clock)
    replaced: list[tuple[Any, Any]] = [(Clock, clock)]
    if clouds is not None:
        replaced.append((CloudLabs, clouds))
    if ids is not None:
        replaced.append((IdGenerator, ids))
    container = compose(
        Profile.EMBEDDED,
        [LabsModule()],
        context={
            LabsSettings: LabsSettings(),
            DatabaseSettings: DatabaseSettings(url=f"sqlite+aiosqlite:///{directory / 'labs.db'}"),
            InProcessBus: InProcessBus(),
        },
        overrides=[replacing(*replaced), adding((Authenticator, authenticator))],
    )
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, LABS_MIGRATIONS])
    app = create_http_app(
        container=container,
        route_handlers=LabsModule().routes(Profile.EMBEDDED),
        title="Labs",
        http=HttpSettings(),
    )
    return LabsTestApp(
        app=app,
        container=container,
        issuer=TokenIssuer(key, token_settings),
        clock=clock,
        clouds=clouds,
    )


async def delivered(container: AsyncContainer, event: IntegrationEvent, event_id: str) -> None:
    """``event`` handed to every subscription of the module that wants it, the way the
    kernel delivers (inbox claim, handler, commit): the same ``event_id`` twice is a
    redelivery."""

    async def never(message: OutgoingMessage) -> None:
        raise AssertionError(f"dead-lettered: {message.headers}")

    envelope = wrap(event, id=event_id, source="test", subject=event_id, time=datetime.now(UTC))
    for subscription in LabsModule().subscriptions():
        if subscription.wants(envelope):
            assert await deliver(container, subscription, envelope, never)


def template_body(**changes: Any) -> dict[str, Any]:
    """A valid lab template (an AWS bucket task), as an instructor posts it; ``changes``
    replace fields."""
    body: dict[str, Any] = {
        "title": "S3 versioning",
        "provider": "aws",
        "level": "beginner",
        "allowed_regions": ["us-east-1"],
        "allowed_services": ["s3"],
        "resources": [{"type": "bucket", "name_prefix": "data-"}],
        "tasks": [
            {
                "id": "logs-bucket",
                "title": "A versioned logs bucket",
                "hint": "Turn versioning on.",
                "points": 10,
                "check": {"type": "bucket", "name_prefix": "logs-", "versioning": True},
            }
        ],
        "time_limit_minutes": 60,
        "max_extension_minutes": 30,
        "budget_cap_usd": "5.00",
    }
    body.update(changes)
    return body
