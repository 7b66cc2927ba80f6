from __future__ import annotations

from cmh.users.adapters.memory.state import MemoryUsersState
from cmh.users.domain.audit import AuditEntry


class MemoryAuditLog:
    def __init__(self, state: MemoryUsersState) -> None:
        self._entries = state.audit_rows

    async def record(self, entry: AuditEntry) -> None:
        self._entries.put(entry.id, entry)

    async def entries_of(self, user_id: str) -> list[AuditEntry]:
        return [e for e in self._entries.values() if e.user_id == user_id]
