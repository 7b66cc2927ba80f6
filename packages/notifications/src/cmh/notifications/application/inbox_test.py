"""The inbox: newest first a page at a time, unread counts, read one or all, delete; other
users' notifications are not found."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cmh.contracts.events.courses import EnrollmentCreatedV1
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import InvalidInput
from cmh.notifications.application.conftest import NOW, World
from cmh.notifications.application.inbox import PAGE, CountUnread, ListInbox
from cmh.notifications.application.read_notifications import (
    DeleteNotification,
    MarkAllRead,
    MarkRead,
)
from cmh.notifications.domain.errors import NotificationNotFound

ADA = Principal(user_id="ada", roles=frozenset({"learner"}))
GRACE = Principal(user_id="grace", roles=frozenset({"learner"}))


async def fill(world: World, count: int) -> None:
    for i in range(count):
        await world.publish(
            EnrollmentCreatedV1(
                enrollment_id=f"e{i}", course_id=f"c{i}", user_id="ada", enrolled_at=NOW
            )
        )
        if i % 2:
            world.clock.advance(timedelta(seconds=1))  # two at the same instant each time


async def test_pages_follow_the_cursor_newest_first_without_gaps_or_repeats(world: World) -> None:
    await fill(world, PAGE + 5)
    inbox = await world.use(ListInbox)
    first = await inbox.execute(ADA)
    second = await inbox.execute(ADA, first.next_cursor)
    assert (len(first.items), len(second.items), second.next_cursor) == (PAGE, 5, None)
    seen = [n.id for n in first.items + second.items]
    assert len(set(seen)) == PAGE + 5
    stamps = [n.created_at for n in first.items + second.items]
    assert stamps == sorted(stamps, reverse=True)
    assert (await inbox.execute(GRACE)).items == []


async def test_reading_one_and_all_counts_down_and_unread_lists_only_those(world: World) -> None:
    await fill(world, 3)
    inbox, count = await world.use(ListInbox), await world.use(CountUnread)
    assert (await count.execute(ADA)).unread == 3
    newest = (await inbox.execute(ADA)).items[0]
    read = await (await world.use(MarkRead)).execute(ADA, newest.id)
    assert (read.read, read.read_at) == (True, NOW + timedelta(seconds=1))
    assert (await count.execute(ADA)).unread == 2
    assert [n.id for n in (await inbox.execute(ADA, unread_only=True)).items] == [
        n.id for n in (await inbox.execute(ADA)).items[1:]
    ]
    assert (await (await world.use(MarkAllRead)).execute(ADA)).marked == 2
    assert (await count.execute(ADA)).unread == 0


async def test_another_users_notification_is_not_found_and_deleting_removes_it(
    world: World,
) -> None:
    await fill(world, 1)
    [mine] = (await (await world.use(ListInbox)).execute(ADA)).items
    with pytest.raises(NotificationNotFound):
        await (await world.use(MarkRead)).execute(GRACE, mine.id)
    with pytest.raises(NotificationNotFound):
        await (await world.use(DeleteNotification)).execute(GRACE, mine.id)
    await (await world.use(DeleteNotification)).execute(ADA, mine.id)
    assert (await (await world.use(ListInbox)).execute(ADA)).items == []
    with pytest.raises(NotificationNotFound):
        await (await world.use(MarkRead)).execute(ADA, mine.id)


async def test_a_cursor_this_api_did_not_give_is_refused_naming_the_field(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        await (await world.use(ListInbox)).execute(ADA, "%%%not-a-cursor")
    assert refused.value.field == "cursor"
