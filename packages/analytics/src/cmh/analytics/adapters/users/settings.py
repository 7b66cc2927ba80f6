"""Where the users service answers (distributed), ``CMH_ANALYTICS__USERS__*``."""

from __future__ import annotations

import msgspec


class UsersClientSettings(msgspec.Struct, frozen=True):
    url: str = "http://127.0.0.1:8101"
    timeout_seconds: float = 2.0
    attempts: int = 3
