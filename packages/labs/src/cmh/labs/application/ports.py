"""What the labs use cases need from the outside world, named for what it does."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from cmh.labs.domain.checks import Inventory, ObservedResource
from cmh.labs.domain.template import LabTemplate


@dataclass(frozen=True)
class LabCredentials:
    """Short-lived credentials scoped to one lab session; the secret parts stay out of
    ``repr`` so that they never reach a log line."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class ProvisionedLab:
    """Where the learner works: the session's own account (or project), its region, the
    API endpoint when it is not the provider's public one, and a console link where the
    provider has one."""

    account_id: str
    region: str
    endpoint: str | None
    console_url: str | None
    credentials: LabCredentials


class CloudLab(Protocol):
    """One isolated cloud environment per lab session, found again by the session's id.

    Every operation may be repeated: after a crash, calling it again finishes the job
    without creating anything twice."""

    async def provision(
        self, session_id: str, template: LabTemplate, region: str
    ) -> ProvisionedLab: ...

    async def observe(self, session_id: str) -> Inventory:
        """The networks, buckets and instances a task check looks at."""

    async def inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        """Everything left in the session's environment, whoever created it."""

    async def tear_down(self, session_id: str) -> None:
        """Delete everything in the session's environment, the learner's access last."""

    async def orphans(self, active_session_ids: Collection[str]) -> list[str]:
        """Sessions that still have resources although they are not active."""


class CostSource(Protocol):
    async def cost_between(self, session_id: str, start: datetime, end: datetime) -> Decimal:
        """What the session's resources cost from ``start`` to ``end`` (USD)."""
