"""Administrators page through every account (cursor pagination, stable under inserts)."""

from __future__ import annotations

import base64
import binascii

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import InvalidInput
from cmh.users.application.access import ensure_admin
from cmh.users.application.ports import UserRepository
from cmh.users.application.views import UserPage, user_view

MAX_PAGE_SIZE = 100


def encode_cursor(user_id: str) -> str:
    return base64.urlsafe_b64encode(user_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.b64decode(padded, altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("this cursor was not issued by this service", field="cursor") from None


class AdminListUsers:
    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def execute(self, caller: Principal, *, cursor: str | None, limit: int) -> UserPage:
        ensure_admin(caller)
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidInput(f"between 1 and {MAX_PAGE_SIZE}", field="limit")
        after_id = decode_cursor(cursor) if cursor else None
        # One extra row tells whether another page follows.
        users = await self._users.list_page(after_id=after_id, limit=limit + 1)
        page = users[:limit]
        next_cursor = encode_cursor(page[-1].id) if len(users) > limit else None
        return UserPage(items=[user_view(user) for user in page], next_cursor=next_cursor)
