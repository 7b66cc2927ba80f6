from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.users.adapters.sql.tables import sso_attempts
from cmh.users.adapters.sql.types import rows_changed
from cmh.users.domain.sso_attempt import SsoAttempt


def _row(attempt: SsoAttempt) -> dict[str, Any]:
    return {
        "id": attempt.id,
        "state_hash": attempt.state_hash,
        "redirect_uri": attempt.redirect_uri,
        "code_challenge": attempt.code_challenge,
        "created_at": attempt.created_at,
        "expires_at": attempt.expires_at,
        "used_at": attempt.used_at,
    }


def _attempt(row: RowMapping) -> SsoAttempt:
    return SsoAttempt(
        id=row["id"],
        state_hash=row["state_hash"],
        redirect_uri=row["redirect_uri"],
        code_challenge=row["code_challenge"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        used_at=row["used_at"],
    )


class SqlSsoAttemptStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, attempt: SsoAttempt) -> None:
        await self._session.execute(insert(sso_attempts).values(_row(attempt)))

    async def by_state_hash(self, state_hash: str) -> SsoAttempt | None:
        query = select(sso_attempts).where(sso_attempts.c.state_hash == state_hash)
        row = (await self._session.execute(query)).mappings().first()
        return _attempt(row) if row is not None else None

    async def save(self, attempt: SsoAttempt) -> None:
        result = await self._session.execute(
            update(sso_attempts)
            .where(sso_attempts.c.id == attempt.id)
            .values(used_at=attempt.used_at)
        )
        if rows_changed(result) != 1:
            raise KeyError(f"attempt {attempt.id} was never added")

    async def discard_expired(self, now: datetime) -> None:
        await self._session.execute(delete(sso_attempts).where(sso_attempts.c.expires_at <= now))
