from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.auth.principal import Role
from cmh.kernel.uow import UnitOfWork
from cmh.users.adapters.sql.tables import accounts
from cmh.users.adapters.sql.types import rows_changed
from cmh.users.domain.display_name import DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.errors import EmailTaken
from cmh.users.domain.profile import Profile, SkillLevel
from cmh.users.domain.tier import Tier
from cmh.users.domain.user import AccountStatus, User


def _row(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email.value,
        "display_name": user.display_name.value,
        "password_hash": user.password_hash,
        "roles": sorted(role.value for role in user.roles),
        "status": user.status.value,
        "email_verified": user.email_verified,
        "tier": user.tier.value,
        "locale": user.profile.locale,
        "timezone": user.profile.timezone,
        "interests": list(user.profile.interests),
        "skill_level": user.profile.skill_level.value if user.profile.skill_level else None,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def _user(row: RowMapping) -> User:
    return User(
        id=row["id"],
        email=Email(row["email"]),
        display_name=DisplayName(row["display_name"]),
        password_hash=row["password_hash"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        roles=frozenset(Role(role) for role in row["roles"]),
        status=AccountStatus(row["status"]),
        email_verified=row["email_verified"],
        tier=Tier(row["tier"]),
        profile=Profile(
            locale=row["locale"],
            timezone=row["timezone"],
            interests=tuple(row["interests"]),
            skill_level=SkillLevel(row["skill_level"]) if row["skill_level"] else None,
        ),
    )


def _is_email_conflict(exc: IntegrityError) -> bool:
    return "email" in str(exc.orig).lower()


class SqlUserRepository:
    def __init__(self, session: AsyncSession, uow: UnitOfWork) -> None:
        self._session = session
        self._uow = uow  # collects what a saved user recorded, for the outbox

    async def add(self, user: User) -> None:
        self._uow.track(user)
        try:
            await self._session.execute(insert(accounts).values(_row(user)))
        except IntegrityError as exc:
            if _is_email_conflict(exc):
                raise EmailTaken(
                    "an account with this email already exists", field="email"
                ) from exc
            raise

    async def get(self, user_id: str) -> User | None:
        return await self._one(select(accounts).where(accounts.c.id == user_id))

    async def by_email(self, email: Email) -> User | None:
        return await self._one(select(accounts).where(accounts.c.email == email.value))

    async def save(self, user: User) -> None:
        self._uow.track(user)
        values = _row(user)
        del values["id"], values["created_at"]
        try:
            result = await self._session.execute(
                update(accounts).where(accounts.c.id == user.id).values(values)
            )
        except IntegrityError as exc:
            if _is_email_conflict(exc):
                raise EmailTaken(
                    "an account with this email already exists", field="email"
                ) from exc
            raise
        if rows_changed(result) != 1:
            raise KeyError(f"user {user.id} was never added")

    async def list_page(self, *, after_id: str | None, limit: int) -> list[User]:
        query = select(accounts).order_by(accounts.c.id).limit(limit)
        if after_id is not None:
            query = query.where(accounts.c.id > after_id)
        rows = (await self._session.execute(query)).mappings().all()
        return [_user(row) for row in rows]

    async def _one(self, query: Any) -> User | None:
        row = (await self._session.execute(query)).mappings().first()
        return _user(row) if row is not None else None
