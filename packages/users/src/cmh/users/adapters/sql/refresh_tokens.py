from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.users.adapters.sql.tables import refresh_tokens
from cmh.users.adapters.sql.types import rows_changed
from cmh.users.domain.refresh_token import RefreshToken

_COLUMNS = (
    "id",
    "family_id",
    "user_id",
    "token_hash",
    "issued_at",
    "expires_at",
    "rotated_at",
    "replaced_by",
    "revoked_at",
)


def _row(token: RefreshToken) -> dict[str, Any]:
    return {name: getattr(token, name) for name in _COLUMNS}


def _token(row: RowMapping) -> RefreshToken:
    return RefreshToken(**{name: row[name] for name in _COLUMNS})


class SqlRefreshTokenStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: RefreshToken) -> None:
        await self._session.execute(insert(refresh_tokens).values(_row(token)))

    async def by_hash(self, token_hash: str) -> RefreshToken | None:
        row = (
            (
                await self._session.execute(
                    select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
                )
            )
            .mappings()
            .first()
        )
        return _token(row) if row is not None else None

    async def replace(self, used: RefreshToken, successor: RefreshToken) -> bool:
        # The guard in WHERE makes the update a compare-and-set: of two requests rotating
        # the same token, the second one's update (after the first commits) matches nothing.
        result = await self._session.execute(
            update(refresh_tokens)
            .where(
                refresh_tokens.c.id == used.id,
                refresh_tokens.c.replaced_by.is_(None),
                refresh_tokens.c.revoked_at.is_(None),
            )
            .values(rotated_at=used.rotated_at, replaced_by=used.replaced_by)
        )
        if rows_changed(result) != 1:
            return False
        await self.add(successor)
        return True

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        await self._session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_all_of(self, user_id: str, now: datetime) -> None:
        await self._session.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def list_of(self, user_id: str) -> list[RefreshToken]:
        rows = (
            (
                await self._session.execute(
                    select(refresh_tokens)
                    .where(refresh_tokens.c.user_id == user_id)
                    .order_by(refresh_tokens.c.issued_at, refresh_tokens.c.id)
                )
            )
            .mappings()
            .all()
        )
        return [_token(row) for row in rows]
