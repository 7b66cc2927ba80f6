"""Where the users service answers (distributed profile), ``CMH_NOTIFICATIONS__USERS__*``.
Notifications asks with a service token of its own (OAuth 2.0 client credentials at
users' ``/internal/v1/auth/token``): its consumers act for no signed-in caller."""

from __future__ import annotations

import msgspec


class UsersClientSettings(msgspec.Struct, frozen=True):
    url: str = "http://127.0.0.1:8001"
    client_id: str = "notifications"
    client_secret: str = ""
    timeout_seconds: float = 2.0
    attempts: int = 3

    def __repr__(self) -> str:
        secret = "<set>" if self.client_secret else None
        return f"UsersClientSettings(url={self.url!r}, client_secret={secret})"

    __str__ = __repr__
