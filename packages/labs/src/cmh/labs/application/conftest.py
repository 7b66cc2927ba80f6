"""The Labs module's MEMORY profile, composed as the apps compose it (``memory_labs``),
with a frozen clock; use cases take the principal directly."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from dishka import AsyncContainer

from cmh.contracts.events.base import IntegrationEvent
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.labs.adapters.memory.cloud import MemoryCloudLab, MemoryCloudLabs
from cmh.labs.adapters.memory.jobs import MemoryLabJobs
from cmh.labs.adapters.memory.repositories import MemoryLabHoursLedger, MemorySessionRepository
from cmh.labs.adapters.memory.services import MemoryEntitlements
from cmh.labs.application.create_template import CreateTemplate, NewTemplate
from cmh.labs.application.launch_lab import LaunchLab, LaunchRequest
from cmh.labs.application.ports import LabHoursLedger, SessionRepository
from cmh.labs.application.template_specs import (
    BucketResource,
    BucketTaskCheck,
    InstanceResource,
    NetworkResource,
    Task,
)
from cmh.labs.application.views import SessionView, TemplateView
from cmh.labs.domain.session import LabSession
from cmh.labs.domain.template import CloudProvider, Level
from cmh_testing.labs import memory_labs

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
OTHER_INSTRUCTOR = Principal(user_id="rival", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="learner", roles=frozenset({"learner"}))
OTHER_LEARNER = Principal(user_id="learner-2", roles=frozenset({"learner"}))

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

U = TypeVar("U")
E = TypeVar("E", bound=IntegrationEvent)


def new_template(**changes: Any) -> NewTemplate:
    fields: dict[str, Any] = {
        "title": "S3 versioning",
        "description": "Keep every version of your logs.",
        "provider": CloudProvider.AWS,
        "level": Level.BEGINNER,
        "allowed_regions": ("us-east-1", "eu-west-1"),
        "allowed_services": ("s3", "ec2"),
        "resources": (NetworkResource(), BucketResource(name_prefix="data-")),
        "tasks": (
            Task(
                id="logs-bucket",
                title="A versioned logs bucket",
                hint="Create a bucket whose name starts with logs- and turn versioning on.",
                points=10,
                check=BucketTaskCheck(name_prefix="logs-", versioning=True),
            ),
        ),
        "time_limit_minutes": 60,
        "max_extension_minutes": 30,
        "budget_cap_usd": Decimal("5.00"),
    }
    fields.update(changes)
    return NewTemplate(**fields)


EXPENSIVE = InstanceResource(instance_type="x9.huge", running=True)


@dataclass
class Labs:
    """The composed container and the fakes a test arranges or observes."""

    container: AsyncContainer
    clock: FrozenClock
    uow: InMemoryUnitOfWork
    clouds: MemoryCloudLabs
    jobs: MemoryLabJobs
    entitlements: MemoryEntitlements
    sessions: MemorySessionRepository
    ledger: MemoryLabHoursLedger

    @property
    def aws(self) -> MemoryCloudLab:
        return self.clouds.lab(CloudProvider.AWS)

    async def use(self, kind: type[U]) -> U:
        """A use case from a fresh request scope, as a controller gets it."""
        async with self.container() as request:
            return await request.get(kind)

    async def template(self, **changes: Any) -> TemplateView:
        create = await self.use(CreateTemplate)
        return await create.execute(INSTRUCTOR, new_template(**changes))

    async def launch(self, template_id: str, learner: Principal = LEARNER) -> SessionView:
        launch = await self.use(LaunchLab)
        return await launch.execute(learner, LaunchRequest(template_id=template_id))

    async def ready_session(
        self, learner: Principal = LEARNER, **template_changes: Any
    ) -> tuple[TemplateView, SessionView]:
        template = await self.template(**template_changes)
        session = await self.launch(template.id, learner)
        await self.jobs.drain()
        return template, session

    def published(self, kind: type[E]) -> list[E]:
        """The committed events of ``kind``, in order."""
        return [event for event in self.uow.committed if isinstance(event, kind)]

    def stored(self, session_id: str) -> LabSession:
        return self.sessions.rows[session_id]

    def statuses(self, session_id: str) -> list[str]:
        return [str(move.to_status) for move in self.stored(session_id).history]


@pytest.fixture
async def labs() -> AsyncIterator[Labs]:
    clock = FrozenClock(START)
    container = memory_labs(clock)
    sessions = await container.get(SessionRepository)
    ledger = await container.get(LabHoursLedger)
    assert isinstance(sessions, MemorySessionRepository)
    assert isinstance(ledger, MemoryLabHoursLedger)
    yield Labs(
        container=container,
        clock=clock,
        uow=await container.get(InMemoryUnitOfWork),
        clouds=await container.get(MemoryCloudLabs),
        jobs=await container.get(MemoryLabJobs),
        entitlements=await container.get(MemoryEntitlements),
        sessions=sessions,
        ledger=ledger,
    )
    await container.close()
