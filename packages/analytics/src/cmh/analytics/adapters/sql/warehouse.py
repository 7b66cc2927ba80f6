"""The warehouse on SQL (PostgreSQL distributed, SQLite embedded) through the request's
``AsyncSession``: a fact and the inbox claim of its event commit together. A kept event
id is skipped by the database itself (``ON CONFLICT DO NOTHING``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.analytics.adapters.sql.tables import facts, recommendations
from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.recommendations import LearnerRecommendations, Recommendation
from cmh.kernel.sql.types import rows_changed
from cmh.kernel.uow import UnitOfWork


def fact_row(fact: Fact) -> dict[str, Any]:
    return {
        "event_id": fact.event_id,
        "kind": fact.kind,
        "user_id": fact.user_id,
        "course_id": fact.course_id,
        "lesson_id": fact.lesson_id,
        "subject": fact.subject,
        "value": fact.value,
        "attrs": dict(fact.attrs),
        "occurred_at": fact.occurred_at,
    }


def _fact(row: Any) -> Fact:
    return Fact(
        event_id=row.event_id,
        kind=row.kind,
        occurred_at=row.occurred_at,
        user_id=row.user_id,
        course_id=row.course_id,
        lesson_id=row.lesson_id,
        subject=row.subject,
        value=row.value,
        attrs=row.attrs,
    )


class SqlFactWarehouse:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, fact: Fact) -> bool:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(facts).values(fact_row(fact)).on_conflict_do_nothing(index_elements=["event_id"])
        )
        return rows_changed(await self._session.execute(statement)) == 1

    async def record_many(self, facts_: Sequence[Fact]) -> list[Fact]:
        unique: dict[str, Fact] = {}
        for fact in facts_:
            unique.setdefault(fact.event_id, fact)  # the first of each id, in order
        if not unique:
            return []
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # One multi-row INSERT; RETURNING names the rows the database did not skip.
        statement = (
            insert(facts)
            .values([fact_row(f) for f in unique.values()])
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(facts.c.event_id)
        )
        kept = set((await self._session.scalars(statement)).all())
        return [f for f in unique.values() if f.event_id in kept]

    async def _select(self, *where: Any) -> list[Fact]:
        rows = await self._session.execute(
            select(facts).where(*where).order_by(facts.c.occurred_at, facts.c.event_id)
        )
        return [_fact(row) for row in rows]

    async def of_user(self, user_id: str) -> list[Fact]:
        return await self._select(facts.c.user_id == user_id)

    async def of_course(self, course_id: str) -> list[Fact]:
        return await self._select(facts.c.course_id == course_id)

    async def of_kinds(self, kinds: Collection[str]) -> list[Fact]:
        return await self._select(facts.c.kind.in_(list(kinds)))

    async def recent(self, kinds: Collection[str], since: datetime) -> list[Fact]:
        return await self._select(facts.c.kind.in_(list(kinds)), facts.c.occurred_at >= since)

    async def counts(self) -> dict[str, int]:
        rows = await self._session.execute(
            select(facts.c.kind, func.count()).group_by(facts.c.kind).order_by(facts.c.kind)
        )
        return {kind: count for kind, count in rows}

    async def pseudonymise(self, user_id: str, pseudonym: str) -> int:
        return rows_changed(
            await self._session.execute(
                update(facts).where(facts.c.user_id == user_id).values(user_id=pseudonym)
            )
        )


class SqlRecommendationBoard:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow

    async def get(self, user_id: str) -> LearnerRecommendations | None:
        row = (
            await self._session.execute(
                select(recommendations).where(recommendations.c.user_id == user_id)
            )
        ).first()
        if row is None:
            return None
        items = [
            Recommendation(i["course_id"], i["score"], tuple(i["reasons"]), i.get("lesson_id"))
            for i in row.items
        ]
        return LearnerRecommendations(row.user_id, items, row.updated_at)

    async def save(self, board: LearnerRecommendations) -> None:
        self._uow.track(board)
        items = [
            {
                "course_id": i.course_id,
                "lesson_id": i.lesson_id,
                "score": i.score,
                "reasons": list(i.reasons),
            }
            for i in board.items
        ]
        await self.forget(board.user_id)
        await self._session.execute(
            recommendations.insert().values(
                user_id=board.user_id, items=items, updated_at=board.updated_at
            )
        )

    async def forget(self, user_id: str) -> None:
        await self._session.execute(
            delete(recommendations).where(recommendations.c.user_id == user_id)
        )
