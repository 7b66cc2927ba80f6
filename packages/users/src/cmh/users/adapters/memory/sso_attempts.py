from __future__ import annotations

import copy
from datetime import datetime

from cmh.users.adapters.memory.state import MemoryUsersState
from cmh.users.domain.sso_attempt import SsoAttempt


class MemorySsoAttemptStore:
    def __init__(self, state: MemoryUsersState) -> None:
        self._attempts = state.sso_attempt_rows

    async def add(self, attempt: SsoAttempt) -> None:
        if attempt.id in self._attempts:
            raise ValueError(f"attempt {attempt.id} exists already")
        self._attempts.put(attempt.id, copy.deepcopy(attempt))

    async def by_state_hash(self, state_hash: str) -> SsoAttempt | None:
        for attempt in self._attempts.values():
            if attempt.state_hash == state_hash:
                return copy.deepcopy(attempt)
        return None

    async def save(self, attempt: SsoAttempt) -> None:
        if attempt.id not in self._attempts:
            raise KeyError(f"attempt {attempt.id} was never added")
        self._attempts.put(attempt.id, copy.deepcopy(attempt))

    async def discard_expired(self, now: datetime) -> None:
        for key, attempt in self._attempts.items():
            if attempt.expires_at <= now:
                self._attempts.delete(key)
