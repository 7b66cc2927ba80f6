"""Writes audit entries through the ``AuditLog`` port with fresh ids."""

from __future__ import annotations

from datetime import datetime

from cmh.kernel.clock import IdGenerator
from cmh.users.application.ports import AuditLog
from cmh.users.domain.audit import AuditAction, AuditEntry


class Auditor:
    def __init__(self, log: AuditLog, ids: IdGenerator) -> None:
        self._log = log
        self._ids = ids

    async def record(
        self,
        action: AuditAction,
        *,
        now: datetime,
        user_id: str | None,
        actor_id: str | None = None,
        **detail: str,
    ) -> None:
        await self._log.record(
            AuditEntry(
                id=self._ids.new_id(),
                action=action,
                at=now,
                user_id=user_id,
                actor_id=actor_id if actor_id is not None else user_id,
                detail=detail,
            )
        )
