from __future__ import annotations

import copy

from cmh.users.adapters.memory.state import MemoryUsersState
from cmh.users.domain.email import Email
from cmh.users.domain.errors import EmailTaken
from cmh.users.domain.user import User


class MemoryUserRepository:
    def __init__(self, state: MemoryUsersState) -> None:
        self._users = state.user_rows
        self._uow = state.uow

    async def add(self, user: User) -> None:
        if user.id in self._users:
            raise ValueError(f"user {user.id} exists already")
        self._ensure_email_free(user)
        self._keep(user)

    async def get(self, user_id: str) -> User | None:
        user = self._users.get(user_id)
        return copy.deepcopy(user) if user is not None else None

    async def by_email(self, email: Email) -> User | None:
        for user in self._users.values():
            if user.email == email:
                return copy.deepcopy(user)
        return None

    async def save(self, user: User) -> None:
        if user.id not in self._users:
            raise KeyError(f"user {user.id} was never added")
        self._ensure_email_free(user)
        self._keep(user)

    def _keep(self, user: User) -> None:
        self._uow.track(user)  # its recorded events leave with the commit
        row = copy.deepcopy(user)
        row.events.clear()  # the stored row is state, not news
        self._users.put(user.id, row)

    async def list_page(self, *, after_id: str | None, limit: int) -> list[User]:
        page = sorted(
            (u for u in self._users.values() if after_id is None or u.id > after_id),
            key=lambda u: u.id,
        )
        return [copy.deepcopy(u) for u in page[:limit]]

    def _ensure_email_free(self, user: User) -> None:
        for other in self._users.values():
            if other.id != user.id and other.email == user.email:
                raise EmailTaken("an account with this email already exists", field="email")
