from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.users.adapters.sql.tables import audit_log
from cmh.users.domain.audit import AuditAction, AuditEntry


class SqlAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, entry: AuditEntry) -> None:
        await self._session.execute(
            insert(audit_log).values(
                id=entry.id,
                action=entry.action.value,
                at=entry.at,
                user_id=entry.user_id,
                actor_id=entry.actor_id,
                detail=dict(entry.detail),
            )
        )

    async def entries_of(self, user_id: str) -> list[AuditEntry]:
        rows = (
            (
                await self._session.execute(
                    select(audit_log)
                    .where(audit_log.c.user_id == user_id)
                    .order_by(audit_log.c.seq)
                )
            )
            .mappings()
            .all()
        )
        return [
            AuditEntry(
                id=row["id"],
                action=AuditAction(row["action"]),
                at=row["at"],
                user_id=row["user_id"],
                actor_id=row["actor_id"],
                detail=dict(row["detail"]),
            )
            for row in rows
        ]
