"""Where the users service answers and the client credentials payments presents to it
(``CMH_PAYMENTS__USERS__*``; the secret from the environment only)."""

from __future__ import annotations

import msgspec


class UsersClientSettings(msgspec.Struct, frozen=True):
    url: str = "http://127.0.0.1:8101"
    client_id: str = "payments"
    client_secret: str = ""
    timeout_seconds: float = 2.0
    attempts: int = 4
