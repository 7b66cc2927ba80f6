"""Background retraining: due after enough new facts or once old (a clock the test
drives), the new model swapped in whole, its version in the admins' overview."""

from __future__ import annotations

from datetime import timedelta

from dishka import AsyncContainer

from cmh.analytics.application.admin_overview import AdminOverview
from cmh.analytics.application.retrain_recommendations import RetrainRecommendations
from cmh.analytics.application.views import ModelVersionView
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh_testing.analytics import delivered, memory_analytics
from cmh_testing.analytics.events import T0, enrolled, published

ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))


def analytics(clock: FrozenClock) -> AsyncContainer:
    return memory_analytics(clock, retrain_min_new_facts=3, retrain_max_age_seconds=3600)


async def retrain(container: AsyncContainer) -> ModelVersionView | None:
    async with container() as request:
        return await (await request.get(RetrainRecommendations)).execute()


async def test_retrained_when_enough_facts_arrived_or_the_model_is_old() -> None:
    clock = FrozenClock(T0)
    container = analytics(clock)
    assert await retrain(container) is None  # nothing to learn from
    for n, event in enumerate(
        [published("c1", "One", ["x"]), published("c2", "Two", ["x"]), enrolled("bob", "c1")]
    ):
        await delivered(container, event, f"e{n}")
    first = await retrain(container)
    assert first is not None
    assert (first.version, first.trained_at, first.facts, first.learners, first.courses) == (
        1,
        T0,
        3,
        1,
        1,
    )
    assert await retrain(container) is None  # nothing new
    await delivered(container, enrolled("bob", "c2"), "e3")
    clock.advance(timedelta(minutes=59))
    assert await retrain(container) is None  # one new fact, a young model
    clock.advance(timedelta(minutes=1))
    second = await retrain(container)
    assert second is not None
    assert (second.version, second.facts, second.courses) == (2, 4, 2)
    async with container() as request:
        overview = await (await request.get(AdminOverview)).execute(ADMIN)
    assert overview.recommendation_model is not None
    assert (overview.recommendation_model.version, overview.recommendation_model.facts) == (2, 4)
    await container.close()
