"""Everything the in-memory adapters store, shared by the repositories of every request.

Each store writes through a ``MemoryTable`` staged in the unit of work: a write is read
back by its own transaction and kept only when that transaction commits, as in the SQL
database. The properties show what has been committed (what a test asserts on)."""

from __future__ import annotations

from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.users.domain.audit import AuditEntry
from cmh.users.domain.identity_link import IdentityLink
from cmh.users.domain.one_time_token import OneTimeToken
from cmh.users.domain.refresh_token import RefreshToken
from cmh.users.domain.sso_attempt import SsoAttempt
from cmh.users.domain.user import User


class MemoryUsersState:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self.uow = uow
        self.user_rows: MemoryTable[str, User] = MemoryTable(uow)
        self.refresh_token_rows: MemoryTable[str, RefreshToken] = MemoryTable(uow)
        self.one_time_token_rows: MemoryTable[str, OneTimeToken] = MemoryTable(uow)
        self.audit_rows: MemoryTable[str, AuditEntry] = MemoryTable(uow)
        self.sso_attempt_rows: MemoryTable[str, SsoAttempt] = MemoryTable(uow)
        self.identity_link_rows: MemoryTable[tuple[str, str], IdentityLink] = MemoryTable(uow)

    @property
    def users(self) -> dict[str, User]:
        return self.user_rows.committed

    @property
    def refresh_tokens(self) -> dict[str, RefreshToken]:
        return self.refresh_token_rows.committed

    @property
    def one_time_tokens(self) -> dict[str, OneTimeToken]:
        return self.one_time_token_rows.committed

    @property
    def audit_log(self) -> list[AuditEntry]:
        return list(self.audit_rows.committed.values())

    @property
    def sso_attempts(self) -> dict[str, SsoAttempt]:
        return self.sso_attempt_rows.committed

    @property
    def identity_links(self) -> dict[tuple[str, str], IdentityLink]:
        return self.identity_link_rows.committed
