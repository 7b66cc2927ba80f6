"""Keep one learning event as a fact (once: the warehouse ignores a kept event id) and,
when it changes what a learner should do next, refresh their recommendations."""

from __future__ import annotations

from cmh.analytics.application.live_counters import LAB_KINDS, counts_now
from cmh.analytics.application.ports import FactWarehouse, LiveFeed, RecommendationBoard
from cmh.analytics.application.recommender import RecommendationEngine
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.recommendations import LearnerRecommendations
from cmh.kernel.clock import Clock
from cmh.kernel.uow import UnitOfWork

# Facts after which a learner's next best course or lesson may have changed.
STEERING = frozenset({k.ENROLLED, k.COURSE_COMPLETED, k.LAB_VALIDATED, k.LAB_ENDED})
SHOWN = 5
# Facts that move the live counters.
LIVE = k.LEARNING_ACTIVITY | frozenset(LAB_KINDS)


class RecordFact:
    def __init__(
        self,
        warehouse: FactWarehouse,
        board: RecommendationBoard,
        engine: RecommendationEngine,
        clock: Clock,
        feed: LiveFeed,
        uow: UnitOfWork,
    ) -> None:
        self._warehouse = warehouse
        self._board = board
        self._engine = engine
        self._clock = clock
        self._feed = feed
        self._uow = uow

    async def execute(self, fact: Fact) -> bool:
        async with self._uow:
            kept = await self._warehouse.record(fact)
            if kept and fact.user_id and fact.kind in STEERING:
                items = await self._engine.for_learner(fact.user_id, SHOWN, with_profile=False)
                current = await self._board.get(fact.user_id) or LearnerRecommendations(
                    fact.user_id
                )
                if current.refresh(items, self._clock.now()):
                    await self._board.save(current)
            counts = (
                await counts_now(self._warehouse, self._clock.now())
                if kept and fact.kind in LIVE
                else None
            )
            await self._uow.commit()
        # After the commit (or, inside the consumer's unit of work, once the fact is part
        # of it): the counters are advisory, never a reason to fail the event.
        if counts is not None:
            await self._feed.announce(counts)
        return kept
