"""Settings of the credentials vault (``CMH_LABS__VAULT__*``)."""

from __future__ import annotations

import msgspec


class VaultSettings(msgspec.Struct, frozen=True):
    """``key``: 32 random bytes in base64 (AES-256), e.g. from
    ``python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"``.

    Without one, only the memory and embedded profiles start (with a key of their own that
    dies with the process)."""

    key: str | None = None

    def __repr__(self) -> str:
        # The key must never reach a log line or a traceback.
        return f"VaultSettings(key={'<set>' if self.key else None})"

    __str__ = __repr__
