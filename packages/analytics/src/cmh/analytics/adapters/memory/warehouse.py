"""In-memory warehouse and recommendation board (tests, the memory profile): rows in
``MemoryTable``s, staged until the unit of work commits."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.recommendations import LearnerRecommendations
from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork


class MemoryFactWarehouse:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._facts: MemoryTable[str, Fact] = MemoryTable(uow)

    async def record(self, fact: Fact) -> bool:
        if fact.event_id in self._facts:
            return False
        self._facts.put(fact.event_id, fact)
        return True

    async def record_many(self, facts: Sequence[Fact]) -> list[Fact]:
        return [f for f in facts if await self.record(f)]

    def _select(self, keep: Callable[[Fact], bool]) -> list[Fact]:
        """In time order, as the SQL warehouse answers."""
        found = [f for f in self._facts.values() if keep(f)]
        return sorted(found, key=lambda f: (f.occurred_at, f.event_id))

    async def of_user(self, user_id: str) -> list[Fact]:
        return self._select(lambda f: f.user_id == user_id)

    async def of_course(self, course_id: str) -> list[Fact]:
        return self._select(lambda f: f.course_id == course_id)

    async def of_kinds(self, kinds: Collection[str]) -> list[Fact]:
        return self._select(lambda f: f.kind in kinds)

    async def recent(self, kinds: Collection[str], since: datetime) -> list[Fact]:
        return self._select(lambda f: f.kind in kinds and f.occurred_at >= since)

    async def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.kind for f in self._facts.values()).items()))

    async def pseudonymise(self, user_id: str, pseudonym: str) -> int:
        changed = 0
        for event_id, fact in self._facts.items():
            if fact.user_id == user_id:
                self._facts.put(event_id, dataclasses.replace(fact, user_id=pseudonym))
                changed += 1
        return changed


class MemoryRecommendationBoard:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow
        self._rows: MemoryTable[str, LearnerRecommendations] = MemoryTable(uow)

    async def get(self, user_id: str) -> LearnerRecommendations | None:
        found = self._rows.get(user_id)
        if found is None:
            return None
        return LearnerRecommendations(found.user_id, list(found.items), found.updated_at)

    async def save(self, recommendations: LearnerRecommendations) -> None:
        self._uow.track(recommendations)
        self._rows.put(
            recommendations.user_id,
            LearnerRecommendations(
                recommendations.user_id, list(recommendations.items), recommendations.updated_at
            ),
        )

    async def forget(self, user_id: str) -> None:
        self._rows.delete(user_id)
