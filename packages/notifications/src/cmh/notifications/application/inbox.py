"""The caller's inbox: a page of entries newest first (a cursor for the next), and how
many are unread."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.notifications.application.ports import InboxCursor, NotificationRepository
from cmh.notifications.application.views import (
    InboxPage,
    UnreadCount,
    decode_cursor,
    encode_cursor,
    notification_view,
)

PAGE = 20


class ListInbox:
    def __init__(self, notifications: NotificationRepository) -> None:
        self._notifications = notifications

    async def execute(
        self, principal: Principal, cursor: str | None = None, unread_only: bool = False
    ) -> InboxPage:
        after = decode_cursor(cursor) if cursor else None
        found = await self._notifications.inbox(
            principal.user_id, after=after, unread_only=unread_only, limit=PAGE + 1
        )
        page = found[:PAGE]
        last = page[-1] if len(found) > PAGE else None
        return InboxPage(
            items=[notification_view(n) for n in page],
            next_cursor=encode_cursor(InboxCursor(last.created_at, last.id)) if last else None,
        )


class CountUnread:
    def __init__(self, notifications: NotificationRepository) -> None:
        self._notifications = notifications

    async def execute(self, principal: Principal) -> UnreadCount:
        return UnreadCount(unread=await self._notifications.unread_count(principal.user_id))
