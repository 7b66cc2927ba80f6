"""The batched ingest (the Kafka consumer's batches) keeps each event once, like the
per-event path: a batch redelivered, an event twice in a batch, or the same event under
another envelope, and whichever path saw it first."""

from __future__ import annotations

from collections import Counter

from dishka import AsyncContainer

from cmh.analytics.application.ingest_test import counts
from cmh.analytics.application.my_recommendations import MyRecommendations
from cmh.contracts.events.analytics import RecommendationsUpdatedV1
from cmh.kernel.auth.principal import Principal
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh_testing.analytics import delivered
from cmh_testing.analytics.compositions import batch_delivered
from cmh_testing.analytics.events import enrolled, every_event, published

ANN = Principal(user_id="ann", roles=frozenset({"learner"}))


async def test_a_batch_counts_each_event_once(container: AsyncContainer) -> None:
    events = every_event()
    batch = [(e, f"env-{n}") for n, e in enumerate(events)]
    repeated = batch + batch[:3] + [(events[0], "another-envelope")]
    await batch_delivered(container, repeated)
    await batch_delivered(container, repeated)  # the broker redelivers the whole batch
    for n, event in enumerate(events):
        await delivered(container, event, f"env-{n}")  # and one by one
    assert await counts(container) == dict(sorted(Counter(e.TYPE for e in events).items()))


async def test_a_batch_commits_once_and_refreshes_each_steered_learner(
    container: AsyncContainer,
) -> None:
    uow = await container.get(InMemoryUnitOfWork)
    before = uow.commits
    await batch_delivered(
        container,
        [
            (published("c-k8s", "Kubernetes", ["kubernetes"]), "e0"),
            (published("c-helm", "Helm", ["kubernetes", "helm"]), "e1"),
            (enrolled("bob", "c-k8s"), "e2"),
            (enrolled("bob", "c-helm"), "e3"),
            (enrolled("ann", "c-k8s"), "e4"),
        ],
    )
    fact_commits = uow.commits - before
    assert fact_commits <= 2  # the facts' batch (and the mixpanel consumer's, if any)
    updates = [
        e.user_id
        for e in uow.events_of(RecommendationsUpdatedV1)
        if isinstance(e, RecommendationsUpdatedV1)
    ]
    # Ann once (bob took every course: nothing to tell him).
    assert updates == ["ann"]
    async with container() as request:
        mine = await (await request.get(MyRecommendations)).execute(ANN, 5)
    assert mine[0].course_id == "c-helm"
