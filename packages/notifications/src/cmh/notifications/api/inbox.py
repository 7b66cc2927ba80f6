"""The caller's in-app inbox: a page with a cursor, the unread count, read one or all,
delete one. Another user's notification answers 404."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post
from litestar.params import FromPath, FromQuery, Parameter

from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.notifications.application.inbox import CountUnread, ListInbox
from cmh.notifications.application.read_notifications import (
    DeleteNotification,
    MarkAllRead,
    MarkRead,
)
from cmh.notifications.application.views import (
    InboxPage,
    NotificationView,
    ReadAll,
    UnreadCount,
)

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
Cursor = Annotated[
    str | None, Parameter(max_length=200, description="next_cursor of the page before")
]


class InboxController(Controller):
    path = "/api/v1/notifications"
    tags = ["notifications"]

    @get(
        "/me",
        operation_id="notifications_inbox",
        responses=problem_responses(422),
        summary="My notifications, newest first, a page at a time",
        description="`unread=true` lists only unread ones; `cursor` is the `next_cursor` "
        "of the page before (422 `invalid_cursor` for anything else).",
        security=BEARER,
    )
    @inject
    async def inbox(
        self,
        principal: FromDishka[Principal],
        inbox: FromDishka[ListInbox],
        cursor: FromQuery[Cursor] = None,
        unread: FromQuery[bool] = False,
    ) -> InboxPage:
        return await inbox.execute(principal, cursor, unread)

    @get(
        "/me/unread-count",
        operation_id="notifications_unread_count",
        summary="How many of my notifications are unread",
        security=BEARER,
    )
    @inject
    async def unread_count(
        self, principal: FromDishka[Principal], count: FromDishka[CountUnread]
    ) -> UnreadCount:
        return await count.execute(principal)

    @post(
        "/me/read-all",
        operation_id="notifications_read_all",
        status_code=200,
        summary="Mark all my notifications read",
        security=BEARER,
    )
    @inject
    async def read_all(
        self, principal: FromDishka[Principal], read_all: FromDishka[MarkAllRead]
    ) -> ReadAll:
        return await read_all.execute(principal)

    @post(
        "/{notification_id:str}/read",
        operation_id="notifications_read",
        status_code=200,
        summary="Mark one of my notifications read",
        security=BEARER,
    )
    @inject
    async def read(
        self,
        notification_id: FromPath[str],
        principal: FromDishka[Principal],
        read: FromDishka[MarkRead],
    ) -> NotificationView:
        return await read.execute(principal, notification_id)

    @delete(
        "/{notification_id:str}",
        operation_id="notifications_delete",
        summary="Delete one of my notifications",
        security=BEARER,
    )
    @inject
    async def remove(
        self,
        notification_id: FromPath[str],
        principal: FromDishka[Principal],
        remove: FromDishka[DeleteNotification],
    ) -> None:
        await remove.execute(principal, notification_id)
