from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.users.adapters.sql.tables import identity_links
from cmh.users.adapters.sql.types import rows_changed
from cmh.users.domain.identity_link import IdentityLink


def _row(link: IdentityLink) -> dict[str, Any]:
    return {
        "provider": link.provider,
        "subject": link.subject,
        "user_id": link.user_id,
        "created_at": link.created_at,
        "confirmed_at": link.confirmed_at,
        "token_hash": link.token_hash,
        "expires_at": link.expires_at,
    }


def _link(row: RowMapping) -> IdentityLink:
    return IdentityLink(
        provider=row["provider"],
        subject=row["subject"],
        user_id=row["user_id"],
        created_at=row["created_at"],
        confirmed_at=row["confirmed_at"],
        token_hash=row["token_hash"],
        expires_at=row["expires_at"],
    )


class SqlIdentityLinkStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, provider: str, subject: str) -> IdentityLink | None:
        return await self._one(
            select(identity_links).where(
                identity_links.c.provider == provider, identity_links.c.subject == subject
            )
        )

    async def by_token_hash(self, token_hash: str) -> IdentityLink | None:
        return await self._one(
            select(identity_links).where(identity_links.c.token_hash == token_hash)
        )

    async def save(self, link: IdentityLink) -> None:
        values = _row(link)
        result = await self._session.execute(
            update(identity_links)
            .where(
                identity_links.c.provider == link.provider,
                identity_links.c.subject == link.subject,
            )
            .values(values)
        )
        if rows_changed(result) == 0:
            await self._session.execute(insert(identity_links).values(values))

    async def remove_all_of(self, user_id: str) -> None:
        await self._session.execute(
            delete(identity_links).where(identity_links.c.user_id == user_id)
        )

    async def _one(self, query: Any) -> IdentityLink | None:
        row = (await self._session.execute(query)).mappings().first()
        return _link(row) if row is not None else None
