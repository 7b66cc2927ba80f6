"""The Labs API over the module's EMBEDDED composition (SQLite file, jobs run in the
process, clouds in memory, users and courses stand-ins), with a frozen clock and tokens
signed by a test key."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dishka import AsyncContainer
from litestar import Litestar
from litestar.testing import AsyncTestClient
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
from cmh.labs.adapters.memory.cloud import MemoryCloudLab, MemoryCloudLabs
from cmh.labs.adapters.memory.jobs import MemoryLabJobs
from cmh.labs.adapters.memory.services import MemoryEnrollments, MemoryEntitlements
from cmh.labs.adapters.sql.migrations import LABS_MIGRATIONS
from cmh.labs.domain.template import CloudProvider
from cmh.labs.module import LabsModule
from cmh.labs.settings import LabsSettings
from cmh_testing.kernel.overrides import adding, replacing

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="learner", roles=frozenset({"learner"}))
OTHER = Principal(user_id="learner-2", roles=frozenset({"learner"}))

Client = AsyncTestClient[Litestar]


@dataclass
class LabsApi:
    app: Litestar
    container: AsyncContainer
    issuer: TokenIssuer
    clock: FrozenClock

    def auth(self, principal: Principal) -> dict[str, str]:
        token = self.issuer.issue_access(principal, now=self.clock.now(), token_id=uuid.uuid4().hex)
        return {"Authorization": f"Bearer {token}"}

    async def jobs(self) -> MemoryLabJobs:
        return await self.container.get(MemoryLabJobs)

    async def aws(self) -> MemoryCloudLab:
        return (await self.container.get(MemoryCloudLabs)).lab(CloudProvider.AWS)

    async def entitlements(self) -> MemoryEntitlements:
        return await self.container.get(MemoryEntitlements)

    async def enrollments(self) -> MemoryEnrollments:
        return await self.container.get(MemoryEnrollments)


def template_body(**changes: Any) -> dict[str, Any]:
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


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[LabsApi]:
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    key = SigningKey.generate()
    token_settings = TokenSettings()
    authenticator = LocalAuthenticator(TokenVerifier(key.jwks(), token_settings), clock)
    container = compose(
        Profile.EMBEDDED,
        [LabsModule()],
        context={
            LabsSettings: LabsSettings(),
            DatabaseSettings: DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'labs.db'}"),
            InProcessBus: InProcessBus(),
        },
        overrides=[replacing((Clock, clock)), adding((Authenticator, authenticator))],
    )
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, LABS_MIGRATIONS])
    app = create_http_app(
        container=container,
        route_handlers=LabsModule().routes(Profile.EMBEDDED),
        title="Labs",
        http=HttpSettings(),
    )
    yield LabsApi(
        app=app, container=container, issuer=TokenIssuer(key, token_settings), clock=clock
    )
    await container.close()


@pytest.fixture
async def client(api: LabsApi) -> AsyncIterator[Client]:
    async with AsyncTestClient(api.app) as client:
        yield client
