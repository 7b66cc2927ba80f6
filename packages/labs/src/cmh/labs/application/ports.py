"""What the labs use cases need from the outside world, named for what it does."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

import msgspec

from cmh.labs.domain.checks import Inventory, ObservedResource
from cmh.labs.domain.cost import MeterReading
from cmh.labs.domain.lab_hours import LedgerEntry, Period
from cmh.labs.domain.session import LabSession, SessionStatus
from cmh.labs.domain.template import CloudProvider, LabTemplate
from cmh.labs.domain.warm_pool import WarmEnvironment


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


class CloudLabs(Protocol):
    def providers(self) -> tuple[CloudProvider, ...]:
        """The providers this process can run labs on."""

    def for_provider(self, provider: CloudProvider) -> CloudLab:
        """The environment adapter of ``provider``; raises kernel ``DependencyUnavailable``
        when the process has none configured for it."""


# --- the context's own stores -----------------------------------------------------------


class TemplateRepository(Protocol):
    async def get(self, template_id: str) -> LabTemplate | None: ...

    async def add(self, template: LabTemplate) -> None: ...

    async def save(self, template: LabTemplate) -> None: ...

    async def by_provider(self, provider: CloudProvider | None = None) -> list[LabTemplate]:
        """Ordered by title, then id."""


class SessionRepository(Protocol):
    async def get(self, session_id: str) -> LabSession | None: ...

    async def add(self, session: LabSession) -> None: ...

    async def save(self, session: LabSession) -> None: ...

    async def for_user(self, user_id: str) -> list[LabSession]:
        """Newest request first."""

    async def active(self) -> list[LabSession]:
        """Sessions that hold (or may hold) cloud resources: every status but ended and
        failed, oldest request first."""

    async def with_status(self, status: SessionStatus | None = None) -> list[LabSession]:
        """All sessions (or those in ``status``), newest request first."""


class SessionAccess(msgspec.Struct, frozen=True, kw_only=True):
    """Where a ready session's learner works; the credentials only sealed by the vault."""

    session_id: str
    account_id: str
    region: str
    endpoint: str | None
    console_url: str | None
    sealed_credentials: bytes
    expires_at: datetime


class SessionAccessRepository(Protocol):
    async def get(self, session_id: str) -> SessionAccess | None: ...

    async def put(self, access: SessionAccess) -> None: ...

    async def delete(self, session_id: str) -> None:
        """Harmless when there is none."""


class WarmPoolRepository(Protocol):
    """The environments provisioned ahead of the learners who will claim them."""

    async def get(self, environment_id: str) -> WarmEnvironment | None: ...

    async def add(self, environment: WarmEnvironment) -> None: ...

    async def save(self, environment: WarmEnvironment) -> None:
        """A copy read before another save is a kernel ``Conflict``."""

    async def save_claim(self, environment: WarmEnvironment) -> bool:
        """Stores a claim made on ``environment`` unless another save got there first
        (another learner's claim): False then, and nothing changes."""

    async def waiting(self, template_id: str | None = None) -> list[WarmEnvironment]:
        """Provisioning and ready environments (of ``template_id``), oldest first."""


class MeterReadings(Protocol):
    """The last cost meter reading of each metered session."""

    async def get(self, session_id: str) -> MeterReading | None: ...

    async def put(self, session_id: str, reading: MeterReading) -> None: ...


class LabHoursLedger(Protocol):
    async def entries(self, user_id: str, period: Period | None = None) -> list[LedgerEntry]:
        """The user's entries (of ``period`` when given), oldest first."""

    async def append(self, entry: LedgerEntry) -> None:
        """Entries are never changed; appending an id twice is a kernel ``Conflict``."""


# --- other contexts ---------------------------------------------------------------------


class LabAllowance(msgspec.Struct, frozen=True, kw_only=True):
    """What the users context allows a learner: the template levels of their tier and
    the lab hours per calendar month."""

    user_id: str
    tier: str
    levels: frozenset[str]
    lab_hours_per_month: Decimal
    active: bool


class Entitlements(Protocol):
    """Asks users; raises kernel ``NotFound`` for an unknown user and
    ``DependencyUnavailable`` when users does not answer."""

    async def of(self, user_id: str) -> LabAllowance: ...


class JobKind(StrEnum):
    PROVISION = "provision"
    TEARDOWN = "teardown"
    # A warm pool's environment: made ahead of a learner, or thrown away unused.
    WARM = "warm"
    DISCARD = "discard"


class LabJob(msgspec.Struct, frozen=True, kw_only=True):
    """A unit of work for the lab workers. Jobs are delivered at least once: running one
    again (a redelivery, a worker restarted mid-way) finishes it without duplicating."""

    kind: JobKind
    # The session's id, or the warm environment's (the id its session will carry).
    session_id: str


class LabJobs(Protocol):
    async def enqueue(self, job: LabJob) -> None: ...


class CredentialsVault(Protocol):
    """Learner credentials encrypted at rest. A sealed value is bound to its session: it
    does not open under another session id (raises kernel ``InvalidInput``)."""

    async def seal(self, session_id: str, credentials: LabCredentials) -> bytes: ...

    async def open(self, session_id: str, sealed: bytes) -> LabCredentials: ...
