"""In-memory stores that keep state like a database would: they store copies (without the
events an aggregate recorded), check the version a copy was read at, and stage their
writes in the unit of work's transaction (``MemoryTable``): read back by it, kept only
when it commits. ``rows`` is what has been committed."""

from __future__ import annotations

import copy
from typing import TypeVar

from cmh.kernel.errors import Conflict
from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.labs.application.ports import SessionAccess
from cmh.labs.domain.cost import MeterReading
from cmh.labs.domain.lab_hours import LedgerEntry, Period
from cmh.labs.domain.session import LIVE, LabSession, SessionStatus, ensure_none_running
from cmh.labs.domain.template import CloudProvider, LabTemplate
from cmh.labs.domain.warm_pool import WAITING, WarmEnvironment

A = TypeVar("A", LabSession, LabTemplate)


def _stored(aggregate: A) -> A:
    kept = copy.deepcopy(aggregate)
    kept.events.clear()
    return kept


def _fresh(found: A | None) -> A | None:
    return copy.deepcopy(found) if found is not None else None


class MemoryTemplateRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: MemoryTable[str, LabTemplate] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, LabTemplate]:
        return self._table.committed

    async def get(self, template_id: str) -> LabTemplate | None:
        return _fresh(self._table.get(template_id))

    async def add(self, template: LabTemplate) -> None:
        if template.id in self._table:
            raise Conflict(f"lab template {template.id} exists", code="lab_template_exists")
        template.version = 1
        self._table.put(template.id, _stored(template))
        self._uow.track(template)

    async def save(self, template: LabTemplate) -> None:
        stored = self._table.get(template.id)
        if stored is None or stored.version != template.version:
            raise Conflict(
                f"lab template {template.id} changed meanwhile; retry", code="concurrent_update"
            )
        template.version += 1
        self._table.put(template.id, _stored(template))
        self._uow.track(template)

    async def by_provider(self, provider: CloudProvider | None = None) -> list[LabTemplate]:
        found = [t for t in self._table.values() if provider is None or t.provider is provider]
        return [copy.deepcopy(t) for t in sorted(found, key=lambda t: (t.title, t.id))]


class MemorySessionRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._table: MemoryTable[str, LabSession] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, LabSession]:
        return self._table.committed

    async def get(self, session_id: str) -> LabSession | None:
        return _fresh(self._table.get(session_id))

    async def add(self, session: LabSession) -> None:
        if session.id in self._table:
            raise Conflict(f"lab session {session.id} exists", code="lab_session_exists")
        # As the database's partial unique index: one live session per learner and template.
        if not session.is_over:
            ensure_none_running(
                self._table.values(), user_id=session.user_id, template_id=session.template_id
            )
        session.version = 1
        self._table.put(session.id, _stored(session))
        self._uow.track(session)

    async def save(self, session: LabSession) -> None:
        stored = self._table.get(session.id)
        if stored is None or stored.version != session.version:
            raise Conflict(
                f"lab session {session.id} changed meanwhile; retry", code="concurrent_update"
            )
        session.version += 1
        self._table.put(session.id, _stored(session))
        self._uow.track(session)

    def _sorted(self, sessions: list[LabSession], *, newest_first: bool) -> list[LabSession]:
        ordered = sorted(sessions, key=lambda s: (s.requested_at, s.id), reverse=newest_first)
        return [copy.deepcopy(s) for s in ordered]

    async def for_user(self, user_id: str) -> list[LabSession]:
        mine = [s for s in self._table.values() if s.user_id == user_id]
        return self._sorted(mine, newest_first=True)

    async def active(self) -> list[LabSession]:
        live = [s for s in self._table.values() if s.status in LIVE]
        return self._sorted(live, newest_first=False)

    async def with_status(self, status: SessionStatus | None = None) -> list[LabSession]:
        found = [s for s in self._table.values() if status is None or s.status is status]
        return self._sorted(found, newest_first=True)


class MemorySessionAccessRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, SessionAccess] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, SessionAccess]:
        return self._table.committed

    async def get(self, session_id: str) -> SessionAccess | None:
        return self._table.get(session_id)

    async def put(self, access: SessionAccess) -> None:
        self._table.put(access.session_id, access)

    async def delete(self, session_id: str) -> None:
        self._table.delete(session_id)


class MemoryMeterReadings:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, MeterReading] = MemoryTable(uow)

    async def get(self, session_id: str) -> MeterReading | None:
        return self._table.get(session_id)

    async def put(self, session_id: str, reading: MeterReading) -> None:
        self._table.put(session_id, reading)


class MemoryLabHoursLedger:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, LedgerEntry] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, LedgerEntry]:
        return self._table.committed

    async def entries(self, user_id: str, period: Period | None = None) -> list[LedgerEntry]:
        found = [
            entry
            for entry in self._table.values()
            if entry.user_id == user_id and (period is None or entry.period == period)
        ]
        return sorted(found, key=lambda e: (e.at, e.id))

    async def append(self, entry: LedgerEntry) -> None:
        if entry.id in self._table:
            raise Conflict(f"ledger entry {entry.id} exists", code="lab_hours_entry_exists")
        self._table.put(entry.id, entry)


class MemoryWarmPoolRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, WarmEnvironment] = MemoryTable(uow)

    @property
    def rows(self) -> dict[str, WarmEnvironment]:
        return self._table.committed

    async def get(self, environment_id: str) -> WarmEnvironment | None:
        found = self._table.get(environment_id)
        return copy.deepcopy(found) if found is not None else None

    async def add(self, environment: WarmEnvironment) -> None:
        if environment.id in self._table:
            raise Conflict(
                f"warm environment {environment.id} exists", code="warm_environment_exists"
            )
        environment.version = 1
        self._table.put(environment.id, copy.deepcopy(environment))

    async def save_claim(self, environment: WarmEnvironment) -> bool:
        stored = self._table.get(environment.id)
        if stored is None or stored.version != environment.version:
            return False
        environment.version += 1
        self._table.put(environment.id, copy.deepcopy(environment))
        return True

    async def save(self, environment: WarmEnvironment) -> None:
        if not await self.save_claim(environment):
            raise Conflict(
                f"warm environment {environment.id} changed meanwhile; retry",
                code="concurrent_update",
            )

    async def waiting(self, template_id: str | None = None) -> list[WarmEnvironment]:
        found = [
            e
            for e in self._table.values()
            if e.status in WAITING and template_id in (None, e.template_id)
        ]
        return [copy.deepcopy(e) for e in sorted(found, key=lambda e: (e.created_at, e.id))]
