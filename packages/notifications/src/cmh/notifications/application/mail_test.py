"""Mail: queued jobs through a provider outage (delayed, never lost), refusals logged with
their reason, mail held by quiet hours and gathered into digests at the learner's local
time, rendered in their language with escaped values and a working unsubscribe link."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from cmh.contracts.events.courses import EnrollmentCreatedV1
from cmh.kernel.auth.principal import Principal
from cmh.notifications.application.conftest import NOW, World
from cmh.notifications.application.preferences import (
    PreferencesChange,
    QuietHoursChange,
    Unsubscribe,
    UpdatePreferences,
)
from cmh.notifications.application.release_mail import ReleaseMail
from cmh.notifications.domain.channels import Category, Channel
from cmh.notifications.domain.delivery import DeliveryStatus
from cmh.notifications.domain.errors import InvalidUnsubscribeToken
from cmh.notifications.domain.preferences import Digest

LEARNER = Principal(user_id="ada", roles=frozenset({"learner"}))


def enrolled(course: str) -> EnrollmentCreatedV1:
    return EnrollmentCreatedV1(
        enrollment_id=f"e-{course}", course_id=course, user_id="ada", enrolled_at=NOW
    )


async def choose(world: World, **changes: object) -> None:
    chosen = {
        "channels": {},
        "quiet_hours": None,
        "digest": Digest.NONE,
        "digest_time": time(8),
        "digest_weekday": 0,
        **changes,
    }
    await (await world.use(UpdatePreferences)).execute(LEARNER, PreferencesChange(**chosen))  # type: ignore[arg-type]


async def mail_statuses(world: World) -> list[DeliveryStatus]:
    return [d.status for d in await world.deliveries() if d.channel is Channel.EMAIL]


async def release(world: World) -> int:
    queued: int = await (await world.use(ReleaseMail)).execute()
    return queued


async def test_a_provider_outage_delays_the_mail_and_the_retry_delivers_it(world: World) -> None:
    mailer, jobs = await world.mailer(), await world.jobs()
    mailer.outage(2)
    await world.register("ada")
    await jobs.drain()
    await jobs.drain()
    [mail] = [d for d in await world.deliveries() if d.channel is Channel.EMAIL]
    assert (mail.status, mail.attempts, len(jobs.failures)) == (DeliveryStatus.QUEUED, 2, 2)
    assert "provider unavailable" in (mail.reason or "")
    await jobs.drain()
    assert await mail_statuses(world) == [DeliveryStatus.SENT]
    assert len(mailer.to("ada@example.com")) == 1


async def test_a_refused_address_fails_the_delivery_with_the_reason(world: World) -> None:
    (await world.mailer()).refuse("ada@example.com")
    await world.register("ada")
    await (await world.jobs()).drain()
    [mail] = [d for d in await world.deliveries() if d.channel is Channel.EMAIL]
    assert mail.status is DeliveryStatus.FAILED
    assert mail.reason == "refused by the provider: ada@example.com does not exist"


async def test_quiet_hours_hold_mail_until_they_end_in_the_learners_zone(world: World) -> None:
    await world.register("ada")
    await (await world.jobs()).drain()
    (await world.profiles()).set("ada", timezone="America/New_York")
    await choose(world, quiet_hours=QuietHoursChange(start=time(22), end=time(7)))
    world.clock.advance(timedelta(hours=14))  # 05:00 UTC, midnight in New York
    await world.publish(enrolled("c1"))
    assert await mail_statuses(world) == [DeliveryStatus.SENT, DeliveryStatus.HELD]
    assert await release(world) == 0
    world.clock.advance(timedelta(hours=6, minutes=59))  # 06:59 New York
    assert await release(world) == 0
    world.clock.advance(timedelta(minutes=1))  # 07:00 New York
    assert await release(world) == 1
    await (await world.jobs()).drain()
    assert await mail_statuses(world) == [DeliveryStatus.SENT, DeliveryStatus.SENT]


async def test_a_daily_digest_gathers_the_days_mail_into_one_at_local_time(
    world: World,
) -> None:
    (await world.profiles()).set("ada", timezone="Europe/Berlin", locale="de")
    await choose(world, digest=Digest.DAILY, digest_time=time(8, 0))
    await world.register("ada")
    for course in ("c1", "c2"):
        await world.publish(enrolled(course))
    [due] = {d.due_at for d in await world.deliveries() if d.channel is Channel.EMAIL}
    assert due == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Berlin (CET)
    world.clock.advance(due - NOW)
    assert await release(world) == 1
    await (await world.jobs()).drain()
    [digest] = (await world.mailer()).sent
    assert digest.subject == "Deine CloudMastersHub-Zusammenfassung: 3 Neuigkeiten"
    assert await mail_statuses(world) == [DeliveryStatus.SENT] * 3


async def test_a_queued_mail_whose_job_was_lost_is_queued_again(world: World) -> None:
    await world.register("ada")
    jobs = await world.jobs()
    jobs.queued.clear()  # the job never reached the queue
    world.clock.advance(timedelta(minutes=31))
    assert await release(world) == 1
    await jobs.drain()
    assert await mail_statuses(world) == [DeliveryStatus.SENT]


async def test_the_mail_speaks_the_learners_language_escapes_values_and_can_unsubscribe(
    world: World,
) -> None:
    (await world.profiles()).set("ada", locale="de-AT")
    await world.register("ada", name="<b>Ada</b> & Co")
    await (await world.jobs()).drain()
    [mail] = (await world.mailer()).sent
    assert mail.subject == "Willkommen bei CloudMastersHub, <b>Ada</b> & Co"
    assert "&lt;b&gt;Ada&lt;/b&gt; &amp; Co" in mail.html
    assert "<b>Ada</b>" not in mail.html
    assert mail.text.startswith("Hallo <b>Ada</b> & Co,")
    assert 'href="https://cmh.example/courses"' in mail.html
    unsubscribe_url = mail.headers["List-Unsubscribe"].strip("<>")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in mail.text
    [token] = parse_qs(urlparse(unsubscribe_url).query)["token"]
    done = await (await world.use(Unsubscribe)).execute(token)
    assert done.category == "learning"
    await world.publish(enrolled("c9"))
    enrolment = next(n for n in await world.notifications() if n.kind == "course.enrolled")
    assert enrolment.channels == {Channel.INBOX, Channel.PUSH}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature
        lambda t: "YWRhCmJpbGxpbmc" + t[t.index(".") :],  # another user/category, same signature
        lambda t: t.replace(".", ""),
        lambda t: "not a token",
    ],
)
async def test_a_tampered_unsubscribe_token_is_refused(world: World, tamper: object) -> None:
    links = await world.links()
    token = links.token_for("ada", Category.LEARNING)
    with pytest.raises(InvalidUnsubscribeToken):
        await (await world.use(Unsubscribe)).execute(tamper(token))  # type: ignore[operator]
