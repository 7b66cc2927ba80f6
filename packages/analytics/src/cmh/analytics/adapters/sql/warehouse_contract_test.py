"""The warehouse and the recommendation board behave the same in memory, on SQLite and
on PostgreSQL: the fake cannot drift from the real stores."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from cmh.analytics.adapters.sql.conftest import Stores
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.recommendations import LearnerRecommendations, Recommendation

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def fact(kind: str, user: str, course: str, minutes: int = 0, **attrs: object) -> Fact:
    return Fact(
        event_id=uuid.uuid4().hex,
        kind=kind,
        occurred_at=T0 + timedelta(minutes=minutes),
        user_id=user,
        course_id=course,
        lesson_id="l1",
        subject="s",
        value=42.5,
        attrs=attrs,
    )


async def test_a_fact_is_kept_once_and_read_back_whole(stores: Stores) -> None:
    user = uuid.uuid4().hex
    kept = fact(k.ATTEMPT_GRADED, user, "c-1", skills=[{"skill": "s3", "earned": 1, "possible": 2}])
    opened = await stores.open()
    assert await opened.warehouse.record(kept)
    assert not await opened.warehouse.record(kept)  # same event id, same transaction
    await opened.commit()
    opened = await stores.open()
    assert not await opened.warehouse.record(kept)
    assert await opened.warehouse.of_user(user) == [kept]


async def test_uncommitted_facts_are_gone(stores: Stores) -> None:
    user = uuid.uuid4().hex
    opened = await stores.open()
    await opened.warehouse.record(fact(k.ENROLLED, user, "c-1"))
    opened = await stores.open()
    assert await opened.warehouse.of_user(user) == []


async def test_reads_by_user_course_and_kind_and_the_counts(stores: Stores) -> None:
    user, course = uuid.uuid4().hex, uuid.uuid4().hex
    opened = await stores.open()
    before = await opened.warehouse.counts()
    late = fact(k.LESSON_COMPLETED, user, course, minutes=5)
    early = fact(k.ENROLLED, user, course, minutes=0)
    other = fact(k.ENROLLED, "someone", uuid.uuid4().hex)
    for f in (late, early, other):
        await opened.warehouse.record(f)
    await opened.commit()
    opened = await stores.open()
    assert await opened.warehouse.of_user(user) == [early, late]  # in time order
    assert await opened.warehouse.of_course(course) == [early, late]
    enrolled = await opened.warehouse.of_kinds([k.ENROLLED])
    assert early in enrolled
    assert other in enrolled
    assert late not in enrolled
    after = await opened.warehouse.counts()
    assert after[k.ENROLLED] - before.get(k.ENROLLED, 0) == 2
    assert after[k.LESSON_COMPLETED] - before.get(k.LESSON_COMPLETED, 0) == 1


async def test_pseudonymise_renames_every_fact_of_the_user(stores: Stores) -> None:
    user, pseudonym = uuid.uuid4().hex, uuid.uuid4().hex
    opened = await stores.open()
    await opened.warehouse.record(fact(k.ENROLLED, user, "c-1"))
    await opened.warehouse.record(fact(k.LESSON_COMPLETED, user, "c-1"))
    await opened.commit()
    opened = await stores.open()
    assert await opened.warehouse.pseudonymise(user, pseudonym) == 2
    await opened.commit()
    opened = await stores.open()
    assert await opened.warehouse.of_user(user) == []
    assert len(await opened.warehouse.of_user(pseudonym)) == 2


async def test_the_board_keeps_the_last_recommendations(stores: Stores) -> None:
    user = uuid.uuid4().hex
    opened = await stores.open()
    assert await opened.board.get(user) is None
    board = LearnerRecommendations(user)
    board.refresh([Recommendation("c-2", 1.5, ("because you finished C1",), "l-3")], T0)
    await opened.board.save(board)
    await opened.commit()
    opened = await stores.open()
    found = await opened.board.get(user)
    assert found is not None
    assert found.items == board.items
    assert found.updated_at == T0
    await opened.board.forget(user)
    await opened.commit()
    opened = await stores.open()
    assert await opened.board.get(user) is None


async def test_record_many_keeps_each_event_id_once_and_names_the_new_ones(
    stores: Stores,
) -> None:
    user = uuid.uuid4().hex
    first, second, third = (fact(k.LESSON_COMPLETED, user, "c-1", minutes=n) for n in range(3))
    opened = await stores.open()
    assert await opened.warehouse.record_many([first, second, first]) == [first, second]
    await opened.commit()
    opened = await stores.open()
    assert await opened.warehouse.record_many([second, third, third]) == [third]
    assert await opened.warehouse.record_many([]) == []
    await opened.commit()
    opened = await stores.open()
    assert await opened.warehouse.of_user(user) == [first, second, third]


async def test_payment_amounts_come_back_as_exact_decimals(stores: Stores) -> None:
    from decimal import Decimal

    from cmh.analytics.domain.revenue import revenue_report

    plan, first = uuid.uuid4().hex, uuid.uuid4().hex

    def money(kind: str, subject: str, amount: str, **attrs: object) -> Fact:
        attrs = {"amount": amount, "currency": "usd", **attrs}
        return Fact(uuid.uuid4().hex, kind, T0, "ann", subject=subject, attrs=attrs)

    recorded = [
        money(k.PAYMENT_SUCCEEDED, first, "0.10", plan_id=plan),
        money(k.PAYMENT_SUCCEEDED, uuid.uuid4().hex, "0.20", plan_id=plan),
        money(k.REFUND_ISSUED, first, "0.10", refund_id=uuid.uuid4().hex),
        Fact(
            uuid.uuid4().hex,
            k.SUBSCRIPTION_CHANGED,
            T0,
            "ann",
            subject=uuid.uuid4().hex,
            attrs={"plan_id": plan, "status": "active", "seats": 3},
        ),
    ]
    opened = await stores.open()
    await opened.warehouse.record_many(recorded)
    await opened.commit()
    opened = await stores.open()
    report = revenue_report(await opened.warehouse.of_kinds(k.REVENUE))
    [month] = [m for m in report.months if m.plan_id == plan]
    assert (month.gross, month.refunded, str(month.net)) == (
        Decimal("0.30"),
        Decimal("0.10"),
        "0.20",
    )
    assert [(s.active, s.seats) for s in report.subscriptions if s.plan_id == plan] == [(1, 3)]
