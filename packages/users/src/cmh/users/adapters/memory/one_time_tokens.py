from __future__ import annotations

import copy

from cmh.users.adapters.memory.state import MemoryUsersState
from cmh.users.domain.one_time_token import OneTimeToken, TokenPurpose


class MemoryOneTimeTokenStore:
    def __init__(self, state: MemoryUsersState) -> None:
        self._tokens = state.one_time_token_rows

    async def add(self, token: OneTimeToken) -> None:
        if token.id in self._tokens:
            raise ValueError(f"token {token.id} exists already")
        self._tokens.put(token.id, copy.deepcopy(token))

    async def by_hash(self, token_hash: str) -> OneTimeToken | None:
        for token in self._tokens.values():
            if token.token_hash == token_hash:
                return copy.deepcopy(token)
        return None

    async def save(self, token: OneTimeToken) -> None:
        if token.id not in self._tokens:
            raise KeyError(f"token {token.id} was never added")
        self._tokens.put(token.id, copy.deepcopy(token))

    async def discard_unused(self, user_id: str, purpose: TokenPurpose) -> None:
        for key, token in self._tokens.items():
            if token.user_id == user_id and token.purpose is purpose and token.used_at is None:
                self._tokens.delete(key)

    async def discard_all_of(self, user_id: str) -> None:
        for key, token in self._tokens.items():
            if token.user_id == user_id:
                self._tokens.delete(key)
