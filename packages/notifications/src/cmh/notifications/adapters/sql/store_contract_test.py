"""One contract for every store implementation (see conftest: memory, SQLite, PG)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from cmh.notifications.adapters.sql.conftest import Stores
from cmh.notifications.application.ports import InboxCursor, Recipient
from cmh.notifications.domain.activity import LearningActivity
from cmh.notifications.domain.channels import Category, Channel
from cmh.notifications.domain.dedupe import DeliveryKey
from cmh.notifications.domain.delivery import Delivery, DeliveryStatus
from cmh.notifications.domain.notification import Notification
from cmh.notifications.domain.preferences import Digest, Preferences, QuietHours

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def notification(user: str, at: datetime, *, inbox: bool = True, nid: str = "") -> Notification:
    channels = {Channel.EMAIL} | ({Channel.INBOX} if inbox else set())
    return Notification(
        id=nid or unique("n"),
        recipient_id=user,
        category=Category.LABS,
        kind="lab.ready",
        title="Your lab is ready",
        body="Go build.",
        link="/labs/sessions/s1",
        source_event_id=unique("evt"),
        created_at=at,
        channels=frozenset(channels),
    )


def mail(user: str, event: str, status: DeliveryStatus, **kw: object) -> Delivery:
    return Delivery.start(
        unique("d"),
        "n1",
        DeliveryKey(event, Channel.EMAIL, user),
        status,
        NOW,
        **kw,  # type: ignore[arg-type]
    )


async def test_a_notification_reads_back_as_stored_and_only_after_commit(stores: Stores) -> None:
    user = unique("u")
    made = notification(user, NOW)
    opened = await stores.open()
    await opened.notifications.add(made)
    assert await opened.notifications.get(made.id) == made  # read-your-writes
    reader = await stores.open()  # the first is dropped uncommitted
    assert await reader.notifications.get(made.id) is None
    writer = await stores.open()
    await writer.notifications.add(made)
    await writer.commit()
    assert await (await stores.open()).notifications.get(made.id) == made


async def test_the_inbox_pages_newest_first_counts_unread_and_marks_all_read(
    stores: Stores,
) -> None:
    user = unique("u")
    made = [notification(user, NOW + timedelta(minutes=i // 2), nid=f"n{i}") for i in range(5)]
    writer = await stores.open()
    for n in made:
        await writer.notifications.add(n)
    await writer.notifications.add(notification(user, NOW, inbox=False))  # mail only
    await writer.notifications.add(notification(unique("other"), NOW))
    await writer.commit()
    reader = await stores.open()
    first = await reader.notifications.inbox(user, after=None, unread_only=False, limit=3)
    assert [n.id for n in first] == ["n4", "n3", "n2"]
    cursor = InboxCursor(first[-1].created_at, first[-1].id)
    rest = await reader.notifications.inbox(user, after=cursor, unread_only=False, limit=3)
    assert [n.id for n in rest] == ["n1", "n0"]
    assert await reader.notifications.unread_count(user) == 5
    read = made[4]
    read.mark_read(NOW + timedelta(hours=1))
    await reader.notifications.save(read)
    await reader.commit()
    reader = await stores.open()
    unread = await reader.notifications.inbox(user, after=None, unread_only=True, limit=10)
    assert [n.id for n in unread] == ["n3", "n2", "n1", "n0"]
    assert await reader.notifications.mark_all_read(user, NOW + timedelta(hours=2)) == 4
    await reader.commit()
    assert await (await stores.open()).notifications.unread_count(user) == 0


async def test_a_delivery_key_is_claimed_once_ever(stores: Stores) -> None:
    user, event = unique("u"), unique("evt")
    first = await stores.open()
    assert await first.deliveries.claim(mail(user, event, DeliveryStatus.QUEUED))
    await first.commit()
    again = await stores.open()
    assert not await again.deliveries.claim(mail(user, event, DeliveryStatus.QUEUED))
    inbox = Delivery.start(
        unique("d"), "n1", DeliveryKey(event, Channel.INBOX, user), DeliveryStatus.DELIVERED, NOW
    )
    assert await again.deliveries.claim(inbox)  # another channel of the same event


async def test_a_delivery_keeps_its_history_and_is_found_when_due_or_stale(
    stores: Stores,
) -> None:
    user = unique("u")
    held = mail(
        user, unique("e"), DeliveryStatus.HELD, due_at=NOW + timedelta(hours=8), digest=True
    )
    stale = mail(user, unique("e"), DeliveryStatus.QUEUED)
    sent = mail(user, unique("e"), DeliveryStatus.QUEUED)
    sent.sent(NOW, "msg-1")
    writer = await stores.open()
    for d in (held, stale, sent):
        assert await writer.deliveries.claim(d)
    await writer.commit()
    reader = await stores.open()
    assert await reader.deliveries.get(sent.id) == sent
    found = await reader.deliveries.waiting(
        due_by=NOW + timedelta(hours=1), stale_before=NOW, limit=10
    )
    assert [d.id for d in found if d.recipient_id == user] == [stale.id]
    found = await reader.deliveries.waiting(
        due_by=NOW + timedelta(hours=8), stale_before=NOW - timedelta(minutes=1), limit=10
    )
    assert [d.id for d in found if d.recipient_id == user] == [held.id]
    by_user = await reader.deliveries.search(
        recipient_id=user, status=DeliveryStatus.SENT, channel=None, limit=10
    )
    assert [d.provider_message_id for d in by_user] == ["msg-1"]


async def test_preferences_and_recipients_round_trip_and_are_erased(stores: Stores) -> None:
    user = unique("u")
    chosen = Preferences(
        user,
        channels={Category.MARKETING: frozenset(), Category.LABS: frozenset({Channel.PUSH})},
        quiet_hours=QuietHours(time(22), time(7)),
        digest=Digest.WEEKLY,
        digest_time=time(9, 30),
        digest_weekday=4,
    )
    writer = await stores.open()
    await writer.preferences.put(Preferences(user))
    await writer.preferences.put(chosen)
    await writer.recipients.put(Recipient(user_id=user, email="a@example.com", display_name="A"))
    await writer.notifications.add(notification(user, NOW))
    assert await writer.deliveries.claim(mail(user, unique("e"), DeliveryStatus.QUEUED))
    await writer.commit()
    reader = await stores.open()
    assert await reader.preferences.get(user) == chosen
    found = await reader.recipients.get(user)
    assert found is not None
    assert found.email == "a@example.com"
    await reader.preferences.delete(user)
    await reader.recipients.delete(user)
    await reader.notifications.erase(user)
    await reader.deliveries.erase(user)
    await reader.commit()
    gone = await stores.open()
    assert await gone.preferences.get(user) is None
    assert await gone.recipients.get(user) is None
    assert await gone.notifications.unread_count(user) == 0
    no_user = await gone.deliveries.search(recipient_id=user, status=None, channel=None, limit=5)
    assert no_user == []


async def test_learning_activity_round_trips_and_quiet_courses_are_found(stores: Stores) -> None:
    user = unique("u")
    quiet = LearningActivity(user, "c1", NOW - timedelta(days=8))
    busy = LearningActivity(user, "c2", NOW)
    done = LearningActivity(user, "c3", NOW - timedelta(days=30), completed=True)
    writer = await stores.open()
    for activity in (quiet, busy, done):
        await writer.activities.put(activity)
    await writer.commit()
    reader = await stores.open()
    found = await reader.activities.quiet_since(NOW - timedelta(days=7), 100)
    assert [(a.user_id, a.course_id) for a in found if a.user_id == user] == [(user, "c1")]
    quiet.reminded()
    await reader.activities.put(quiet)
    await reader.commit()
    again = await (await stores.open()).activities.get(user, "c1")
    assert again == quiet
    eraser = await stores.open()
    await eraser.activities.erase(user)
    await eraser.commit()
    assert await (await stores.open()).activities.get(user, "c2") is None
