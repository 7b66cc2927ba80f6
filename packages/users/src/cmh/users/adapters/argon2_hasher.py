"""Password hashing with argon2id (argon2-cffi), off the event loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError

# Used when there is no real hash to check (unknown email): the same work is done, so
# response time does not tell whether an account exists.
_DUMMY_PASSWORD = "no account has this password"  # noqa: S105 - not a credential


@dataclass(frozen=True, slots=True)
class Argon2Parameters:
    """argon2-cffi's defaults are RFC 9106's low-memory profile (t=3, m=64 MiB, p=4)."""

    time_cost: int = 3
    memory_cost_kib: int = 65_536
    parallelism: int = 4

    @classmethod
    def for_tests(cls) -> Argon2Parameters:
        """Cheapest parameters argon2 accepts: keeps test suites fast. Never in production."""
        return cls(time_cost=1, memory_cost_kib=8, parallelism=1)


class Argon2PasswordHasher:
    def __init__(self, parameters: Argon2Parameters | None = None) -> None:
        p = parameters or Argon2Parameters()
        self._argon2 = Argon2(
            time_cost=p.time_cost, memory_cost=p.memory_cost_kib, parallelism=p.parallelism
        )
        self._dummy_hash = self._argon2.hash(_DUMMY_PASSWORD)

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._argon2.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            matches = await asyncio.to_thread(
                self._argon2.verify, password_hash or self._dummy_hash, password
            )
        except (VerificationError, InvalidHashError):
            return False
        return matches and password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
