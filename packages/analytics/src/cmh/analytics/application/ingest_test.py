"""Every ingested event type is counted once under redelivery (the same envelope, or the
same event under a new envelope) and whatever order the events arrive in."""

from __future__ import annotations

import random
from collections import Counter

from dishka import AsyncContainer

from cmh.analytics.application.learner_dashboard import LearnerDashboard
from cmh.analytics.application.my_recommendations import MyRecommendations
from cmh.analytics.application.ports import FactWarehouse
from cmh.analytics.application.views import DashboardView
from cmh.contracts.events.analytics import RecommendationsUpdatedV1
from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh_testing.analytics import delivered
from cmh_testing.analytics.events import T0, course_done, enrolled, every_event, published

ANN = Principal(user_id="ann", roles=frozenset({"learner"}))


async def counts(container: AsyncContainer) -> dict[str, int]:
    uow = await container.get(InMemoryUnitOfWork)
    async with container() as request:
        warehouse = await request.get(FactWarehouse)
        async with uow:
            found: dict[str, int] = await warehouse.counts()
            return found


async def dashboard(container: AsyncContainer) -> DashboardView:
    async with container() as request:
        return await (await request.get(LearnerDashboard)).execute(ANN)


async def test_each_event_is_one_fact_under_redelivery(container: AsyncContainer) -> None:
    events = every_event()
    for n, event in enumerate(events):
        await delivered(container, event, f"env-{n}")
        await delivered(container, event, f"env-{n}")  # the broker redelivers
        await delivered(container, event, f"again-{n}")  # republished under a new envelope
    assert await counts(container) == dict(sorted(Counter(e.TYPE for e in events).items()))


async def test_arrival_order_does_not_change_the_dashboard(clock: FrozenClock) -> None:
    from cmh_testing.analytics import memory_analytics

    events = every_event()
    shuffled: list[IntegrationEvent] = events[:]
    random.Random(4).shuffle(shuffled)
    answers = []
    for order in (events, shuffled, list(reversed(events))):
        built = memory_analytics(clock)
        for n, event in enumerate(order):
            await delivered(built, event, f"env-{event.TYPE}-{n}")
        answers.append(await dashboard(built))
        await built.close()
    assert answers[0] == answers[1] == answers[2]
    first = answers[0]
    assert first.courses[0].completed
    assert first.courses[0].percentage == 100
    assert first.lab_cost_usd == "0.40"
    assert first.quiz_average_percent == 75.0
    assert [c.certificate_id for c in first.certificates] == ["cert-1"]


async def test_enrolments_refresh_recommendations_and_announce_a_change(
    container: AsyncContainer,
) -> None:
    for n, event in enumerate(
        [
            published("c-k8s", "Kubernetes", ["kubernetes"]),
            published("c-helm", "Helm", ["kubernetes", "helm"]),
            enrolled("bob", "c-k8s"),
            enrolled("bob", "c-helm"),
        ]
    ):
        await delivered(container, event, f"e{n}")
    await delivered(container, enrolled("ann", "c-k8s"), "ann-1")
    uow = await container.get(InMemoryUnitOfWork)
    updates = [
        e
        for e in uow.events_of(RecommendationsUpdatedV1)
        if isinstance(e, RecommendationsUpdatedV1) and e.user_id == "ann"
    ]
    assert [i.course_id for i in updates[-1].items] == ["c-helm"]
    async with container() as request:
        mine = await (await request.get(MyRecommendations)).execute(ANN, 5)
    assert mine[0].course_id == "c-helm"
    assert "learners who took Kubernetes took Helm" in mine[0].reasons
    await delivered(container, course_done("ann", "c-k8s", T0), "ann-2")
    async with container() as request:
        mine = await (await request.get(MyRecommendations)).execute(ANN, 5)
    assert "because you finished Kubernetes" in mine[0].reasons


async def test_a_failed_lab_check_points_at_the_lessons_that_teach_it(
    container: AsyncContainer,
) -> None:
    for n, event in enumerate(every_event()):
        await delivered(container, event, f"env-{n}")
    async with container() as request:
        mine = await (await request.get(MyRecommendations)).execute(ANN, 5)
    assert (mine[0].course_id, mine[0].lesson_id) == ("course-aws", "l-lab")
    assert "lab t-s3 failed" in mine[0].reasons[0]


async def test_cold_start_recommends_what_is_popular(container: AsyncContainer) -> None:
    for n, event in enumerate([published("c1", "One", ["x"]), enrolled("bob", "c1")]):
        await delivered(container, event, f"e{n}")
    async with container() as request:
        mine = await (await request.get(MyRecommendations)).execute(ANN, 5)
    assert [(m.course_id, m.reasons) for m in mine] == [
        ("c1", ["popular with learners on the platform"])
    ]


async def test_erasure_keeps_the_figures_under_a_pseudonym(container: AsyncContainer) -> None:
    for n, event in enumerate(every_event()):
        await delivered(container, event, f"env-{n}")
    before = await counts(container)
    await delivered(container, UserErasureRequestedV1(user_id="ann"), "erase")
    assert await counts(container) == before
    empty = await dashboard(container)
    assert empty.courses == []
    assert empty.lab_sessions == 0
