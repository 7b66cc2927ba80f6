from __future__ import annotations

import copy
import dataclasses
from datetime import datetime

from cmh.users.adapters.memory.state import MemoryUsersState
from cmh.users.domain.refresh_token import RefreshToken


class MemoryRefreshTokenStore:
    def __init__(self, state: MemoryUsersState) -> None:
        self._tokens = state.refresh_token_rows

    async def add(self, token: RefreshToken) -> None:
        if token.id in self._tokens or any(
            t.token_hash == token.token_hash for t in self._tokens.values()
        ):
            raise ValueError(f"refresh token {token.id} exists already")
        self._tokens.put(token.id, copy.deepcopy(token))

    async def by_hash(self, token_hash: str) -> RefreshToken | None:
        for token in self._tokens.values():
            if token.token_hash == token_hash:
                return copy.deepcopy(token)
        return None

    async def replace(self, used: RefreshToken, successor: RefreshToken) -> bool:
        stored = self._tokens.get(used.id)
        if stored is None or stored.replaced_by is not None or stored.revoked_at is not None:
            return False
        self._tokens.put(
            used.id,
            dataclasses.replace(stored, rotated_at=used.rotated_at, replaced_by=used.replaced_by),
        )
        await self.add(successor)
        return True

    async def revoke_family(self, family_id: str, now: datetime) -> None:
        self._revoke([t for t in self._tokens.values() if t.family_id == family_id], now)

    async def revoke_all_of(self, user_id: str, now: datetime) -> None:
        self._revoke([t for t in self._tokens.values() if t.user_id == user_id], now)

    async def list_of(self, user_id: str) -> list[RefreshToken]:
        mine = [copy.deepcopy(t) for t in self._tokens.values() if t.user_id == user_id]
        return sorted(mine, key=lambda t: (t.issued_at, t.id))

    def _revoke(self, tokens: list[RefreshToken], now: datetime) -> None:
        for token in tokens:
            revoked = copy.deepcopy(token)  # never the stored row: the write is staged
            revoked.revoke(now)
            self._tokens.put(token.id, revoked)
