"""What the platform asks of a secrets store.

A secret is named ``group/key`` (``tokens/private_key``, ``payments/webhook_secret``): the
environment adapter reads ``CMH_TOKENS__PRIVATE_KEY`` (or the file named by
``CMH_TOKENS__PRIVATE_KEY_FILE``), the Vault adapter the field ``private_key`` of the KV v2
secret ``<prefix>/tokens``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class SecretNotFound(LookupError):
    """The store has no such secret."""


class SecretAccessDenied(PermissionError):
    """The store refused the platform's credentials (a bad or expired token)."""


class SecretStore(Protocol):
    async def read(self, name: str) -> str:
        """The secret's value; ``SecretNotFound`` or ``SecretAccessDenied`` otherwise."""
        ...


@dataclass(frozen=True)
class DatabaseCredentials:
    username: str
    password: str
    # A lease of the store (Vault's lease id) and how long it lasts; empty for static ones.
    lease_id: str = ""
    lease_seconds: float = 0.0


class DatabaseCredentialSource(Protocol):
    """Credentials for new database connections: ``current`` is read at connect time
    (synchronously, inside the pool), so it must not do I/O; ``refresh`` fetches new ones."""

    def current(self) -> DatabaseCredentials: ...

    async def refresh(self) -> DatabaseCredentials: ...
