from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.users.adapters.sql.tables import verification_tokens
from cmh.users.adapters.sql.types import rows_changed
from cmh.users.domain.one_time_token import OneTimeToken, TokenPurpose


def _row(token: OneTimeToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "user_id": token.user_id,
        "purpose": token.purpose.value,
        "token_hash": token.token_hash,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "used_at": token.used_at,
    }


def _token(row: RowMapping) -> OneTimeToken:
    return OneTimeToken(
        id=row["id"],
        user_id=row["user_id"],
        purpose=TokenPurpose(row["purpose"]),
        token_hash=row["token_hash"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        used_at=row["used_at"],
    )


class SqlOneTimeTokenStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, token: OneTimeToken) -> None:
        await self._session.execute(insert(verification_tokens).values(_row(token)))

    async def by_hash(self, token_hash: str) -> OneTimeToken | None:
        row = (
            (
                await self._session.execute(
                    select(verification_tokens).where(
                        verification_tokens.c.token_hash == token_hash
                    )
                )
            )
            .mappings()
            .first()
        )
        return _token(row) if row is not None else None

    async def save(self, token: OneTimeToken) -> None:
        result = await self._session.execute(
            update(verification_tokens)
            .where(verification_tokens.c.id == token.id)
            .values(used_at=token.used_at, expires_at=token.expires_at)
        )
        if rows_changed(result) != 1:
            raise KeyError(f"token {token.id} was never added")

    async def discard_unused(self, user_id: str, purpose: TokenPurpose) -> None:
        await self._session.execute(
            delete(verification_tokens).where(
                verification_tokens.c.user_id == user_id,
                verification_tokens.c.purpose == purpose.value,
                verification_tokens.c.used_at.is_(None),
            )
        )

    async def discard_all_of(self, user_id: str) -> None:
        await self._session.execute(
            delete(verification_tokens).where(verification_tokens.c.user_id == user_id)
        )
