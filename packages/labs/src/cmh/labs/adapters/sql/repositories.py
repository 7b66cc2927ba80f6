"""Labs' stores on the request's ``AsyncSession`` (they share the unit of work's
transaction). Templates and sessions carry a version: a save of a copy read before
another save is a kernel ``Conflict``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.errors import Conflict
from cmh.kernel.uow import UnitOfWork
from cmh.labs.adapters.sql.documents import (
    grade_document,
    grade_from,
    history_document,
    history_from,
    template_document,
    template_from,
)
from cmh.labs.adapters.sql.tables import (
    LIVE_SESSION_INDEX,
    lab_hours,
    meter_readings,
    session_access,
    sessions,
    templates,
    warm_environments,
)
from cmh.labs.application.ports import SessionAccess
from cmh.labs.domain.cost import MeterReading
from cmh.labs.domain.errors import AlreadyRunning
from cmh.labs.domain.lab_hours import EntryKind, LedgerEntry, Period
from cmh.labs.domain.session import LIVE, LabSession, Outcome, SessionStatus
from cmh.labs.domain.template import CloudProvider, LabTemplate
from cmh.labs.domain.warm_pool import WAITING, WarmEnvironment, WarmStatus


def _template_values(template: LabTemplate) -> dict[str, Any]:
    return {
        "owner_id": template.owner_id,
        "title": template.title,
        "provider": str(template.provider),
        "level": str(template.level),
        "course_id": template.course_id,
        "document": template_document(template),
        "created_at": template.created_at,
        "updated_at": template.updated_at,
    }


class SqlTemplateRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow  # collects what saved aggregates recorded, for the outbox

    async def get(self, template_id: str) -> LabTemplate | None:
        row = (
            await self._session.execute(select(templates).where(templates.c.id == template_id))
        ).first()
        return template_from(row) if row else None

    async def add(self, template: LabTemplate) -> None:
        try:
            await self._session.execute(
                insert(templates).values(id=template.id, version=1, **_template_values(template))
            )
        except IntegrityError as exc:
            raise Conflict(
                f"lab template {template.id} exists", code="lab_template_exists"
            ) from exc
        template.version = 1
        self._uow.track(template)

    async def save(self, template: LabTemplate) -> None:
        result = await self._session.execute(
            update(templates)
            .where(templates.c.id == template.id, templates.c.version == template.version)
            .values(version=template.version + 1, **_template_values(template))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                f"lab template {template.id} changed meanwhile; retry", code="concurrent_update"
            )
        template.version += 1
        self._uow.track(template)

    async def by_provider(self, provider: CloudProvider | None = None) -> list[LabTemplate]:
        query = select(templates).order_by(templates.c.title, templates.c.id)
        if provider is not None:
            query = query.where(templates.c.provider == str(provider))
        return [template_from(row) for row in await self._session.execute(query)]


def _session_values(session: LabSession) -> dict[str, Any]:
    return {
        "user_id": session.user_id,
        "template_id": session.template_id,
        "course_id": session.course_id,
        "lesson_id": session.lesson_id,
        "provider": str(session.provider),
        "region": session.region,
        "status": str(session.status),
        "requested_at": session.requested_at,
        "ready_at": session.ready_at,
        "expires_at": session.expires_at,
        "stopped_at": session.stopped_at,
        "ended_at": session.ended_at,
        "warned_for": session.warned_for,
        "budget_cap_usd": str(session.budget_cap_usd),
        "cost_usd": str(session.cost_usd),
        "extended_seconds": int(session.extended_by.total_seconds()),
        "outcome": str(session.outcome) if session.outcome else None,
        "reason": session.reason,
        "best_grade": grade_document(session.best_grade),
        "history": history_document(session.history),
        "allowance_hours": _hours_or_none(session.allowance_hours),
    }


def _hours_or_none(hours: Decimal | None) -> str | None:
    return None if hours is None else str(hours)


def _session_from(row: Any) -> LabSession:
    return LabSession(
        id=row.id,
        user_id=row.user_id,
        template_id=row.template_id,
        provider=CloudProvider(row.provider),
        region=row.region,
        requested_at=row.requested_at,
        budget_cap_usd=Decimal(row.budget_cap_usd),
        course_id=row.course_id,
        lesson_id=row.lesson_id,
        status=SessionStatus(row.status),
        expires_at=row.expires_at,
        ready_at=row.ready_at,
        stopped_at=row.stopped_at,
        ended_at=row.ended_at,
        cost_usd=Decimal(row.cost_usd),
        extended_by=timedelta(seconds=row.extended_seconds),
        warned_for=row.warned_for,
        best_grade=grade_from(row.best_grade),
        outcome=Outcome(row.outcome) if row.outcome else None,
        reason=row.reason,
        history=history_from(row.history),
        allowance_hours=_decimal_or_none(row.allowance_hours),
        version=row.version,
    )


def _decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


class SqlSessionRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow  # collects what saved aggregates recorded, for the outbox

    async def _load(self, query: Select[Any]) -> list[LabSession]:
        return [_session_from(row) for row in await self._session.execute(query)]

    async def get(self, session_id: str) -> LabSession | None:
        found = await self._load(select(sessions).where(sessions.c.id == session_id))
        return found[0] if found else None

    async def add(self, session: LabSession) -> None:
        try:
            await self._session.execute(
                insert(sessions).values(id=session.id, version=1, **_session_values(session))
            )
        except IntegrityError as exc:
            if LIVE_SESSION_INDEX in str(exc.orig) or "labs_sessions.user_id" in str(exc.orig):
                # Two launches that both passed the check: the index keeps one.
                raise AlreadyRunning(
                    f"a session of template {session.template_id} is already live"
                ) from exc
            raise Conflict(f"lab session {session.id} exists", code="lab_session_exists") from exc
        session.version = 1
        self._uow.track(session)

    async def save(self, session: LabSession) -> None:
        result = await self._session.execute(
            update(sessions)
            .where(sessions.c.id == session.id, sessions.c.version == session.version)
            .values(version=session.version + 1, **_session_values(session))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                f"lab session {session.id} changed meanwhile; retry", code="concurrent_update"
            )
        session.version += 1
        self._uow.track(session)

    async def for_user(self, user_id: str) -> list[LabSession]:
        return await self._load(
            select(sessions)
            .where(sessions.c.user_id == user_id)
            .order_by(sessions.c.requested_at.desc(), sessions.c.id.desc())
        )

    async def active(self) -> list[LabSession]:
        return await self._load(
            select(sessions)
            .where(sessions.c.status.in_([str(s) for s in LIVE]))
            .order_by(sessions.c.requested_at, sessions.c.id)
        )

    async def with_status(self, status: SessionStatus | None = None) -> list[LabSession]:
        query = select(sessions).order_by(sessions.c.requested_at.desc(), sessions.c.id.desc())
        if status is not None:
            query = query.where(sessions.c.status == str(status))
        return await self._load(query)


class SqlSessionAccessRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, session_id: str) -> SessionAccess | None:
        row = (
            await self._session.execute(
                select(session_access).where(session_access.c.session_id == session_id)
            )
        ).first()
        if row is None:
            return None
        return SessionAccess(
            session_id=row.session_id,
            account_id=row.account_id,
            region=row.region,
            endpoint=row.endpoint,
            console_url=row.console_url,
            sealed_credentials=bytes(row.sealed_credentials),
            expires_at=row.expires_at,
        )

    async def put(self, access: SessionAccess) -> None:
        await self.delete(access.session_id)
        await self._session.execute(
            insert(session_access).values(
                session_id=access.session_id,
                account_id=access.account_id,
                region=access.region,
                endpoint=access.endpoint,
                console_url=access.console_url,
                sealed_credentials=access.sealed_credentials,
                expires_at=access.expires_at,
            )
        )

    async def delete(self, session_id: str) -> None:
        await self._session.execute(
            delete(session_access).where(session_access.c.session_id == session_id)
        )


class SqlMeterReadings:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, session_id: str) -> MeterReading | None:
        row = (
            await self._session.execute(
                select(meter_readings).where(meter_readings.c.session_id == session_id)
            )
        ).first()
        if row is None:
            return None
        return MeterReading(
            at=row.at,
            rate_usd_per_hour=Decimal(row.rate_usd_per_hour),
            total_usd=Decimal(row.total_usd),
        )

    async def put(self, session_id: str, reading: MeterReading) -> None:
        await self._session.execute(
            delete(meter_readings).where(meter_readings.c.session_id == session_id)
        )
        await self._session.execute(
            insert(meter_readings).values(
                session_id=session_id,
                at=reading.at,
                rate_usd_per_hour=str(reading.rate_usd_per_hour),
                total_usd=str(reading.total_usd),
            )
        )


def _entry_from(row: Any) -> LedgerEntry:
    year, month = (int(part) for part in row.period.split("-"))
    return LedgerEntry(
        id=row.id,
        user_id=row.user_id,
        session_id=row.session_id,
        kind=EntryKind(row.kind),
        hours=Decimal(row.hours),
        period=Period(year, month),
        at=row.at,
        reason=row.reason,
        refunds=row.refunds,
        allowance=_decimal_or_none(row.allowance),
        payment_id=row.payment_id,
    )


class SqlLabHoursLedger:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def entries(self, user_id: str, period: Period | None = None) -> list[LedgerEntry]:
        query = select(lab_hours).where(lab_hours.c.user_id == user_id)
        if period is not None:
            query = query.where(lab_hours.c.period == str(period))
        rows = await self._session.execute(query.order_by(lab_hours.c.at, lab_hours.c.id))
        return [_entry_from(row) for row in rows]

    async def append(self, entry: LedgerEntry) -> None:
        try:
            await self._session.execute(
                insert(lab_hours).values(
                    id=entry.id,
                    user_id=entry.user_id,
                    session_id=entry.session_id,
                    kind=str(entry.kind),
                    hours=str(entry.hours),
                    period=str(entry.period),
                    at=entry.at,
                    reason=entry.reason,
                    refunds=entry.refunds,
                    allowance=_hours_or_none(entry.allowance),
                    payment_id=entry.payment_id,
                )
            )
        except IntegrityError as exc:
            raise Conflict(
                f"ledger entry {entry.id} exists", code="lab_hours_entry_exists"
            ) from exc


def _environment_values(environment: WarmEnvironment) -> dict[str, Any]:
    return {
        "template_id": environment.template_id,
        "template_revision": environment.template_revision,
        "provider": str(environment.provider),
        "region": environment.region,
        "status": str(environment.status),
        "created_at": environment.created_at,
        "ready_at": environment.ready_at,
        "closed_at": environment.closed_at,
        "reason": environment.reason,
    }


def _environment_from(row: Any) -> WarmEnvironment:
    return WarmEnvironment(
        id=row.id,
        template_id=row.template_id,
        template_revision=row.template_revision,
        provider=CloudProvider(row.provider),
        region=row.region,
        created_at=row.created_at,
        status=WarmStatus(row.status),
        ready_at=row.ready_at,
        closed_at=row.closed_at,
        reason=row.reason,
        version=row.version,
    )


class SqlWarmPoolRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, environment_id: str) -> WarmEnvironment | None:
        row = (
            await self._session.execute(
                select(warm_environments).where(warm_environments.c.id == environment_id)
            )
        ).first()
        return _environment_from(row) if row else None

    async def add(self, environment: WarmEnvironment) -> None:
        try:
            await self._session.execute(
                insert(warm_environments).values(
                    id=environment.id, version=1, **_environment_values(environment)
                )
            )
        except IntegrityError as exc:
            raise Conflict(
                f"warm environment {environment.id} exists", code="warm_environment_exists"
            ) from exc
        environment.version = 1

    async def save_claim(self, environment: WarmEnvironment) -> bool:
        # A conditional update: a claim that lost the race changes no row (PostgreSQL
        # re-reads the row once the winner's transaction is over).
        result = await self._session.execute(
            update(warm_environments)
            .where(
                warm_environments.c.id == environment.id,
                warm_environments.c.version == environment.version,
            )
            .values(version=environment.version + 1, **_environment_values(environment))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        environment.version += 1
        return True

    async def save(self, environment: WarmEnvironment) -> None:
        if not await self.save_claim(environment):
            raise Conflict(
                f"warm environment {environment.id} changed meanwhile; retry",
                code="concurrent_update",
            )

    async def waiting(self, template_id: str | None = None) -> list[WarmEnvironment]:
        query = (
            select(warm_environments)
            .where(warm_environments.c.status.in_([str(s) for s in WAITING]))
            .order_by(warm_environments.c.created_at, warm_environments.c.id)
        )
        if template_id is not None:
            query = query.where(warm_environments.c.template_id == template_id)
        return [_environment_from(row) for row in await self._session.execute(query)]
