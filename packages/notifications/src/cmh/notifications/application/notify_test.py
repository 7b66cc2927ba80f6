"""Events become notifications on every channel the recipient's preferences allow, once
per event, channel and recipient, whatever redelivers them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from cmh.contracts.events.courses import EnrollmentCreatedV1
from cmh.contracts.events.labs import LabSessionEndedV1, LabStatusChangedV1
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.kernel.auth.principal import Principal
from cmh.notifications.application.conftest import NOW, World
from cmh.notifications.application.preferences import PreferencesChange, UpdatePreferences
from cmh.notifications.domain.channels import Category, Channel
from cmh.notifications.domain.delivery import DeliveryStatus
from cmh.notifications.domain.preferences import DEFAULT_CHANNELS, Digest
from cmh_testing.notifications.events import handle_past_the_inbox

LEARNER = Principal(user_id="ada", roles=frozenset({"learner"}))


def lab_ready(session: str = "s1", user: str = "ada") -> LabStatusChangedV1:
    return LabStatusChangedV1(
        session_id=session,
        user_id=user,
        template_id="t1",
        from_status="provisioning",
        to_status="ready",
        reason="provisioned",
        changed_at=NOW,
    )


async def test_a_registration_welcomes_the_learner_in_the_inbox_live_and_by_mail(
    world: World,
) -> None:
    push = await world.push()
    async with push.listen("ada") as messages:
        await world.register("ada", name="Ada")
        live = await asyncio.wait_for(anext(messages), 1)
    [welcome] = await world.notifications()
    assert (welcome.kind, welcome.title, live.id) == (
        "user.welcome",
        "Welcome to CloudMastersHub, Ada",
        welcome.id,
    )
    assert welcome.channels == frozenset(Channel)
    assert await (await world.jobs()).drain() == 1
    [mail] = (await world.mailer()).to("ada@example.com")
    assert mail.subject == "Welcome to CloudMastersHub, Ada"
    statuses = {d.channel: d.status for d in await world.deliveries()}
    assert statuses == {
        Channel.INBOX: DeliveryStatus.DELIVERED,
        Channel.PUSH: DeliveryStatus.SENT,
        Channel.EMAIL: DeliveryStatus.SENT,
    }


async def test_a_redelivered_event_notifies_nobody_twice(world: World) -> None:
    await world.register("ada")
    event_id = await world.publish(lab_ready())
    await world.publish(lab_ready(), event_id=event_id)  # the broker redelivers it
    # Even past the inbox (its claims purged, another consumer): the delivery log's key holds.
    await handle_past_the_inbox(world.container, lab_ready(), event_id)
    await (await world.jobs()).drain()
    assert [n.kind for n in await world.notifications()].count("lab.ready") == 1
    assert len((await world.mailer()).sent) == 2  # the welcome and one lab mail
    keys = [(d.source_event_id, d.channel) for d in await world.deliveries()]
    assert len(keys) == len(set(keys)) == 6


async def test_the_same_event_told_twice_as_a_new_event_is_a_new_notification(
    world: World,
) -> None:
    await world.register("ada")
    await world.publish(lab_ready())
    await world.publish(lab_ready())
    assert [n.kind for n in await world.notifications()].count("lab.ready") == 2


async def test_preferences_choose_the_channels_of_a_category(world: World) -> None:
    await world.register("ada")
    update = await world.use(UpdatePreferences)
    await update.execute(
        LEARNER,
        PreferencesChange(
            channels={Category.LABS: frozenset({Channel.INBOX})},
            quiet_hours=None,
            digest=Digest.NONE,
            digest_time=NOW.time(),
            digest_weekday=0,
        ),
    )
    await world.publish(lab_ready())
    lab = next(n for n in await world.notifications() if n.kind == "lab.ready")
    assert lab.channels == {Channel.INBOX}
    assert DEFAULT_CHANNELS[Category.LABS] == frozenset(Channel)


async def test_without_a_known_address_there_is_no_mail_but_the_inbox_has_it(
    world: World,
) -> None:
    await world.publish(lab_ready(user="grace"))
    [lab] = await world.notifications()
    assert lab.channels == {Channel.INBOX, Channel.PUSH}


async def test_an_unknown_or_erased_user_is_not_notified(world: World) -> None:
    (await world.profiles()).unknown.add("ghost")
    await world.publish(lab_ready(user="ghost"))
    assert await world.notifications() == []


async def test_users_down_still_notifies_in_english_at_utc(world: World) -> None:
    await world.register("ada")
    (await world.profiles()).set("ada", locale="de", timezone="Europe/Berlin")
    (await world.profiles()).down = True
    await world.publish(lab_ready())
    lab = next(n for n in await world.notifications() if n.kind == "lab.ready")
    assert lab.title == "Your lab is ready"


async def test_each_lab_moment_is_told_once(world: World) -> None:
    await world.register("ada")
    (await world.profiles()).set("ada", locale="de-DE")
    warning = LabStatusChangedV1(
        session_id="s1",
        user_id="ada",
        template_id="t1",
        from_status="ready",
        to_status="ready",
        reason="expiry_warning",
        expires_at=datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
        changed_at=NOW,
    )
    tearing = LabStatusChangedV1(
        session_id="s1",
        user_id="ada",
        template_id="t1",
        from_status="ready",
        to_status="ended",
        reason="expired",
        changed_at=NOW,
    )
    ended = LabSessionEndedV1(
        session_id="s1",
        user_id="ada",
        template_id="t1",
        course_id=None,
        duration_seconds=3600,
        cost_usd="0.40",
        tasks_passed=["a", "b"],
        outcome="expired",
        reason="time limit",
        ended_at=NOW + timedelta(hours=1),
    )
    for event in (lab_ready(), warning, tearing, ended):
        await world.publish(event)
    told = {n.kind: n for n in await world.notifications()}
    assert set(told) == {"user.welcome", "lab.ready", "lab.expiring", "lab.torn_down"}
    assert told["lab.expiring"].body.startswith("Deine Lab-Sitzung endet um 16:00 UTC")
    assert "nach 60 Minuten; 2 Aufgaben" in told["lab.torn_down"].body


async def test_an_enrollment_links_to_its_course(world: World) -> None:
    await world.publish(
        EnrollmentCreatedV1(enrollment_id="e1", course_id="c1", user_id="ada", enrolled_at=NOW)
    )
    [enrolled] = await world.notifications()
    assert (enrolled.kind, enrolled.link, enrolled.category) == (
        "course.enrolled",
        "/courses/c1",
        Category.LEARNING,
    )


async def test_an_erasure_deletes_everything_and_held_mail_never_goes(world: World) -> None:
    await world.register("ada")
    await world.publish(UserErasureRequestedV1(user_id="ada"))
    assert await world.notifications() == []
    assert await world.deliveries() == []
    jobs = await world.jobs()
    await jobs.drain()  # its deliveries are not found: perhaps not committed yet, tried again
    assert (len(jobs.queued), len(jobs.failures)) == (1, 1)
    world.clock.advance(timedelta(minutes=5))
    await jobs.drain()  # still not found long after: dropped
    assert (jobs.queued, (await world.mailer()).sent) == ([], [])
