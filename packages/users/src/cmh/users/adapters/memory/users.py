from __future__ import annotations

import copy

from cmh.users.adapters.memory.state import MemoryUsersState
from cmh.users.domain.email import Email
from cmh.users.domain.errors import EmailTaken
from cmh.users.domain.user import User


class MemoryUserRepository:
    def __init__(self, state: MemoryUsersState) -> None:
        self._state = state

    async def add(self, user: User) -> None:
        if user.id in self._state.users:
            raise ValueError(f"user {user.id} exists already")
        self._ensure_email_free(user)
        self._state.users[user.id] = copy.deepcopy(user)

    async def get(self, user_id: str) -> User | None:
        user = self._state.users.get(user_id)
        return copy.deepcopy(user) if user is not None else None

    async def by_email(self, email: Email) -> User | None:
        for user in self._state.users.values():
            if user.email == email:
                return copy.deepcopy(user)
        return None

    async def save(self, user: User) -> None:
        if user.id not in self._state.users:
            raise KeyError(f"user {user.id} was never added")
        self._ensure_email_free(user)
        self._state.users[user.id] = copy.deepcopy(user)

    async def list_page(self, *, after_id: str | None, limit: int) -> list[User]:
        ids = sorted(i for i in self._state.users if after_id is None or i > after_id)
        return [copy.deepcopy(self._state.users[i]) for i in ids[:limit]]

    def _ensure_email_free(self, user: User) -> None:
        for other in self._state.users.values():
            if other.id != user.id and other.email == user.email:
                raise EmailTaken("an account with this email already exists", field="email")
