"""One contract for every store implementation (see conftest: memory, SQLite, PG)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import msgspec
import pytest

from cmh.kernel.errors import Conflict
from cmh.labs.adapters.sql.conftest import Stores
from cmh.labs.application.ports import SessionAccess
from cmh.labs.domain.checks import BucketCheck, InstanceCheck, Inventory, ObservedResource, grade
from cmh.labs.domain.cost import MeterReading
from cmh.labs.domain.errors import AlreadyRunning
from cmh.labs.domain.lab_hours import (
    EntryKind,
    Period,
    consume,
    purchase,
    refund,
    take_back_pack,
)
from cmh.labs.domain.session import LabSession, SessionStatus
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    InstanceSpec,
    LabTemplate,
    Level,
    NetworkSpec,
    TaskSpec,
)
from cmh.labs.domain.warm_pool import WarmEnvironment, WarmStatus

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def sample_template(provider: CloudProvider = CloudProvider.AWS) -> LabTemplate:
    return LabTemplate.create(
        unique("tpl"),
        owner_id="teacher",
        title=f"Web tier {provider}",
        description="A bucket and a web server.",
        provider=provider,
        level=Level.INTERMEDIATE,
        allowed_regions=("us-east-1",) if provider is CloudProvider.AWS else ("us-central1",),
        allowed_services=("s3", "ec2") if provider is CloudProvider.AWS else ("storage", "compute"),
        resources=(
            NetworkSpec(),
            BucketSpec(name_prefix="assets-", versioning=True),
            InstanceSpec(instance_type="t3.micro", tags=(("role", "web"),))
            if provider is CloudProvider.AWS
            else InstanceSpec(instance_type="e2-micro"),
        ),
        tasks=(
            TaskSpec("logs", "Logs bucket", "Name it logs-", 10, BucketCheck("logs-", True)),
            TaskSpec("web", "Web server", "Start it", 20, InstanceCheck((("role", "web"),))),
        ),
        time_limit=timedelta(hours=1),
        max_extension=timedelta(minutes=30),
        budget_cap_usd=Decimal("3.50"),
        warm_pool_size=2,
        course_id="course-1",
        now=NOW,
    )


def lived_session(template: LabTemplate, user_id: str = "learner") -> LabSession:
    session = LabSession.request(
        unique("ses"),
        user_id=user_id,
        template=template,
        region="us-east-1",
        now=NOW,
        allowance_hours=Decimal("2.5"),
    )
    session.start_provisioning(NOW)
    session.mark_ready(NOW + timedelta(minutes=2), template.time_limit)
    session.extend(timedelta(minutes=10), NOW + timedelta(minutes=5), template.max_extension)
    inventory = Inventory(
        (ObservedResource("bucket", "logs-1", "us-east-1", {}, {"versioning": True}),)
    )
    session.record_validation(grade(template.tasks, inventory), NOW + timedelta(minutes=6))
    session.accrue_cost(Decimal("0.123"), NOW + timedelta(minutes=7))
    assert session.expires_at is not None
    session.warn_expiry(session.expires_at - timedelta(minutes=5))
    session.end_by_learner(NOW + timedelta(minutes=40))
    session.events.clear()
    return session


async def test_a_template_round_trips_whole(stores: Stores) -> None:
    template = sample_template()
    opened = await stores.open()
    await opened.templates.add(template)
    await opened.commit()
    found = await (await stores.open()).templates.get(template.id)
    assert found == template
    assert found is not None
    assert found.version == 1


async def test_templates_are_listed_by_provider_and_title(stores: Stores) -> None:
    aws, gcp = sample_template(), sample_template(CloudProvider.GCP)
    opened = await stores.open()
    await opened.templates.add(aws)
    await opened.templates.add(gcp)
    await opened.commit()
    listing = (await stores.open()).templates
    gcp_ids = [t.id for t in await listing.by_provider(CloudProvider.GCP)]
    assert gcp.id in gcp_ids
    assert aws.id not in gcp_ids
    every = await listing.by_provider()
    assert [t.title for t in every] == sorted(t.title for t in every)


async def test_a_stale_template_copy_is_a_conflict(stores: Stores) -> None:
    template = sample_template()
    opened = await stores.open()
    await opened.templates.add(template)
    await opened.commit()
    first = await (await stores.open()).templates.get(template.id)
    assert first is not None
    first.revise(now=NOW, title="Renamed")
    opened = await stores.open()
    stale = await opened.templates.get(template.id)
    await opened.templates.save(first)
    await opened.commit()
    assert stale is not None
    stale.revise(now=NOW, title="Also renamed")
    opened = await stores.open()
    with pytest.raises(Conflict):
        await opened.templates.save(stale)


async def test_a_session_round_trips_with_its_history_and_grade(stores: Stores) -> None:
    template = sample_template()
    session = lived_session(template)
    opened = await stores.open()
    await opened.sessions.add(session)
    session.events.clear()
    await opened.commit()
    found = await (await stores.open()).sessions.get(session.id)
    assert found is not None
    assert found == session
    assert found.allowance_hours == Decimal("2.5")
    assert found.status is SessionStatus.TEARING_DOWN
    assert found.best_grade is not None
    assert found.best_grade.passed_task_ids == ("logs",)
    assert [move.to_status for move in found.history][-1] is SessionStatus.TEARING_DOWN


async def test_sessions_by_user_status_and_activity(stores: Stores) -> None:
    template = sample_template()
    user = unique("user")
    live = LabSession.request(
        unique("ses"), user_id=user, template=template, region="us-east-1", now=NOW
    )
    later = LabSession.request(
        unique("ses"),
        user_id=user,
        template=template,
        region="us-east-1",
        now=NOW + timedelta(minutes=1),
    )
    later.fail(NOW + timedelta(minutes=2), "no capacity")
    later.finish_teardown(0, NOW + timedelta(minutes=3))
    opened = await stores.open()
    await opened.sessions.add(live)
    await opened.sessions.add(later)
    await opened.commit()
    reader = (await stores.open()).sessions
    assert [s.id for s in await reader.for_user(user)] == [later.id, live.id]
    active_ids = {s.id for s in await reader.active()}
    assert live.id in active_ids
    assert later.id not in active_ids
    failed_ids = {s.id for s in await reader.with_status(SessionStatus.FAILED)}
    assert later.id in failed_ids
    assert live.id not in failed_ids


async def test_uncommitted_session_changes_are_gone(stores: Stores) -> None:
    session = lived_session(sample_template())
    opened = await stores.open()
    await opened.sessions.add(session)
    await opened.commit()
    opened = await stores.open()
    changed = await opened.sessions.get(session.id)
    assert changed is not None
    changed.finish_teardown(0, NOW + timedelta(minutes=45))
    await opened.sessions.save(changed)
    again = await (await stores.open()).sessions.get(session.id)
    assert again is not None
    assert again.status is SessionStatus.TEARING_DOWN


async def test_a_stale_session_copy_is_a_conflict(stores: Stores) -> None:
    session = lived_session(sample_template())
    opened = await stores.open()
    await opened.sessions.add(session)
    await opened.commit()
    opened = await stores.open()
    one = await opened.sessions.get(session.id)
    other = await opened.sessions.get(session.id)
    assert one is not None
    assert other is not None
    one.finish_teardown(0, NOW + timedelta(minutes=45))
    await opened.sessions.save(one)
    other.finish_teardown(2, NOW + timedelta(minutes=45))
    with pytest.raises(Conflict):
        await opened.sessions.save(other)


async def test_access_is_put_replaced_and_deleted(stores: Stores) -> None:
    session_id = unique("ses")
    access = SessionAccess(
        session_id=session_id,
        account_id="123456789012",
        region="us-east-1",
        endpoint="http://127.0.0.1:5000",
        console_url=None,
        sealed_credentials=b"\x00sealed\xff",
        expires_at=NOW + timedelta(hours=2),
    )
    opened = await stores.open()
    await opened.access.put(access)
    await opened.commit()
    opened = await stores.open()
    assert await opened.access.get(session_id) == access
    # An Azure environment is known by its resource group's full id (over 64 characters).
    group_id = (
        "/subscriptions/00000000-0000-4000-8000-00000000c0de/resourceGroups/"
        f"cmh-lab-{session_id}-westeurope"
    )
    await opened.access.put(msgspec.structs.replace(access, account_id=group_id))
    await opened.commit()
    opened = await stores.open()
    found = await opened.access.get(session_id)
    assert found is not None
    assert found.account_id == group_id
    await opened.access.delete(session_id)
    await opened.access.delete(session_id)
    await opened.commit()
    assert await (await stores.open()).access.get(session_id) is None


async def test_meter_readings_keep_their_exact_totals(stores: Stores) -> None:
    session_id = unique("ses")
    reading = MeterReading(NOW, Decimal("0.5104"), Decimal("0.0170133333333333333"))
    opened = await stores.open()
    await opened.readings.put(session_id, reading)
    await opened.readings.put(session_id, reading)
    await opened.commit()
    assert await (await stores.open()).readings.get(session_id) == reading


async def test_the_ledger_keeps_entries_per_user_and_month(stores: Stores) -> None:
    user = unique("user")
    march = consume(
        "c-" + unique("e"), user_id=user, session_id="s1", used=timedelta(minutes=90), at=NOW
    )
    back = refund(
        "r-" + unique("e"),
        consumption=march,
        ledger=[march],
        at=NOW + timedelta(days=40),
        reason="platform failure",
    )
    april = consume(
        "c-" + unique("e"),
        user_id=user,
        session_id="s2",
        used=timedelta(minutes=1),
        at=NOW + timedelta(days=41),
    )
    opened = await stores.open()
    for entry in (march, back, april):
        await opened.ledger.append(entry)
    await opened.commit()
    reader = (await stores.open()).ledger
    assert await reader.entries(user, Period(2026, 3)) == [march, back]
    assert back.kind is EntryKind.REFUNDED
    assert await reader.entries(user) == [march, back, april]
    opened = await stores.open()
    with pytest.raises(Conflict):
        await opened.ledger.append(march)


async def test_the_ledger_keeps_packs_and_the_allowance_of_consumptions(stores: Stores) -> None:
    user = unique("user")
    pack = purchase(
        unique("pay") + ":purchased", user_id=user, payment_id="cs_1", hours=Decimal(10), at=NOW
    )
    used = consume(
        "c-" + unique("e"),
        user_id=user,
        session_id="s1",
        used=timedelta(hours=3),
        at=NOW + timedelta(hours=4),
        allowance=Decimal(2),
    )
    given_back = refund(
        "r-" + unique("e"),
        consumption=used,
        ledger=[used],
        at=NOW + timedelta(hours=5),
        reason="x",
        hours=Decimal("0.5"),
    )
    taken = take_back_pack(
        "t-" + unique("e"),
        bought=pack,
        ledger=[pack, used, given_back],
        hours=Decimal(3),
        at=NOW + timedelta(hours=6),
        reason="refund",
    )
    assert taken is not None
    opened = await stores.open()
    for entry in (pack, used, given_back, taken):
        await opened.ledger.append(entry)
    await opened.commit()
    found = await (await stores.open()).ledger.entries(user)
    assert found == [pack, used, given_back, taken]
    assert [(e.kind, e.allowance, e.payment_id) for e in found] == [
        (EntryKind.PURCHASED, None, "cs_1"),
        (EntryKind.CONSUMED, Decimal(2), None),
        (EntryKind.REFUNDED, Decimal(2), None),
        (EntryKind.PACK_REFUNDED, None, "cs_1"),
    ]
    opened = await stores.open()
    with pytest.raises(Conflict):
        await opened.ledger.append(pack)  # a pack is credited once


async def test_a_warm_environment_round_trips_and_waits_until_claimed(stores: Stores) -> None:
    template = sample_template()
    opened = await stores.open()
    made = WarmEnvironment.plan(unique("warm"), template, NOW)
    await opened.pool.add(made)
    await opened.commit()

    opened = await stores.open()
    found = await opened.pool.get(made.id)
    assert found == made
    assert found is not None
    found.mark_ready(NOW + timedelta(minutes=2))
    await opened.pool.save(found)
    await opened.commit()

    opened = await stores.open()
    assert [e.id for e in await opened.pool.waiting(template.id)] == [made.id]
    ready = await opened.pool.get(made.id)
    assert ready is not None
    assert ready.status is WarmStatus.READY
    ready.claim(NOW + timedelta(minutes=3))
    assert await opened.pool.save_claim(ready)
    await opened.commit()
    opened = await stores.open()
    assert await opened.pool.waiting(template.id) == []


async def test_of_two_claims_on_one_environment_only_the_first_is_stored(stores: Stores) -> None:
    template = sample_template()
    opened = await stores.open()
    made = WarmEnvironment.plan(unique("warm"), template, NOW)
    made.mark_ready(NOW)
    await opened.pool.add(made)
    await opened.commit()

    opened = await stores.open()
    first, second = await opened.pool.get(made.id), await opened.pool.get(made.id)
    assert first is not None
    assert second is not None
    first.claim(NOW)
    second.claim(NOW)
    assert await opened.pool.save_claim(first)
    assert not await opened.pool.save_claim(second)
    with pytest.raises(Conflict):
        await opened.pool.save(second)


async def test_a_learner_has_one_live_session_of_a_template_whatever_the_checks_missed(
    stores: Stores,
) -> None:
    template = sample_template()
    learner = unique("learner")
    opened = await stores.open()
    first = LabSession.request(
        unique("s"), user_id=learner, template=template, region="us-east-1", now=NOW
    )
    await opened.sessions.add(first)
    await opened.commit()

    opened = await stores.open()
    twin = LabSession.request(
        unique("s"), user_id=learner, template=template, region="us-east-1", now=NOW
    )
    with pytest.raises(AlreadyRunning):
        await opened.sessions.add(twin)

    opened = await stores.open()
    stored = await opened.sessions.get(first.id)
    assert stored is not None
    stored.end_by_learner(NOW)
    stored.finish_teardown(0, NOW)
    await opened.sessions.save(stored)
    await opened.commit()
    opened = await stores.open()
    await opened.sessions.add(twin)  # the first is over: a new one may start
    await opened.commit()
