"""Keep one learning event as a fact (once: the warehouse ignores a kept event id) and,
when it changes what a learner should do next, refresh their recommendations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

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


async def refresh_recommendations(
    engine: RecommendationEngine, board: RecommendationBoard, user_id: str, now: datetime
) -> None:
    items = await engine.for_learner(user_id, SHOWN, with_profile=False)
    current = await board.get(user_id) or LearnerRecommendations(user_id)
    if current.refresh(items, now):
        await board.save(current)


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
                await refresh_recommendations(
                    self._engine, self._board, fact.user_id, self._clock.now()
                )
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


class RecordFacts:
    """A batch of learning events kept in one transaction (the Kafka consumer's batches):
    facts the warehouse already holds, or repeated within the batch, count once; each
    learner steered by the batch is refreshed once; the live counters are announced once
    per batch, not once per event."""

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

    async def execute(self, facts: Sequence[Fact]) -> int:
        async with self._uow:
            kept = await self._warehouse.record_many(facts)
            steered = sorted({f.user_id for f in kept if f.user_id and f.kind in STEERING})
            for user_id in steered:
                await refresh_recommendations(self._engine, self._board, user_id, self._clock.now())
            counts = (
                await counts_now(self._warehouse, self._clock.now())
                if any(f.kind in LIVE for f in kept)
                else None
            )
            await self._uow.commit()
        if counts is not None:
            await self._feed.announce(counts)
        return len(kept)
