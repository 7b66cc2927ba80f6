"""What the Analytics context needs from the outside, as Protocols."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

import msgspec

from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.model import ModelVersion
from cmh.analytics.domain.recommendations import LearnerRecommendations, Neighbour


class FactWarehouse(Protocol):
    """Where facts are kept: PostgreSQL (distributed), SQLite (embedded), memory (tests).
    Writes join the unit of work's transaction, so a fact and its inbox claim are one."""

    async def record(self, fact: Fact) -> bool:
        """Keep ``fact``; False (and nothing changed) when its event id is already kept."""

    async def record_many(self, facts: Sequence[Fact]) -> list[Fact]:
        """Keep each fact whose event id is not kept yet, in one round trip; the facts
        kept now, in order (an event id repeated in ``facts`` is kept once)."""

    async def of_user(self, user_id: str) -> list[Fact]: ...

    async def of_course(self, course_id: str) -> list[Fact]: ...

    async def of_kinds(self, kinds: Collection[str]) -> list[Fact]: ...

    async def recent(self, kinds: Collection[str], since: datetime) -> list[Fact]:
        """Facts of ``kinds`` that occurred at or after ``since``."""

    async def counts(self) -> dict[str, int]:
        """How many facts of each kind are kept."""

    async def pseudonymise(self, user_id: str, pseudonym: str) -> int:
        """Every fact of ``user_id`` now names ``pseudonym``; how many changed."""


class RecommendationBoard(Protocol):
    """The last recommendations each learner was told about."""

    async def get(self, user_id: str) -> LearnerRecommendations | None: ...

    async def save(self, recommendations: LearnerRecommendations) -> None: ...

    async def forget(self, user_id: str) -> None: ...


class CourseOwnership(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    title: str
    owner_id: str


class CourseDirectory(Protocol):
    """Asked of courses: who owns a course (its instructors see its report); ``user_id``
    is the caller the question is asked for."""

    async def ownership(self, course_id: str, user_id: str) -> CourseOwnership | None: ...


class LearnerProfiles(Protocol):
    """Asked of users: the learner's interests (lower case) for recommendations; an
    unknown learner has none."""

    async def interests(self, user_id: str) -> tuple[str, ...]: ...


class CollaborativeFilter(Protocol):
    """Item-item collaborative filtering over learners' courses (``baskets``: learner ->
    courses taken, with a weight: 1 enrolled, 2 finished). Once a model was trained and
    swapped in (``train``), ``neighbours`` scores the learner's current courses with it
    rather than computing similarities from ``baskets`` on every call."""

    def neighbours(
        self, baskets: Mapping[str, Mapping[str, float]], user_id: str
    ) -> dict[str, Neighbour]: ...

    def train(self, baskets: Mapping[str, Mapping[str, float]], version: ModelVersion) -> None:
        """Fit a model on ``baskets`` and swap it in with its ``version`` atomically
        (readers see the old model or the new one, whole, never a mix)."""

    def current(self) -> ModelVersion | None:
        """The version of the model this process uses (None: none trained yet)."""


class ChartSeries(msgspec.Struct, frozen=True, kw_only=True):
    """One chart's data: ``kind`` is ``line`` or ``bar``; x labels and y values."""

    name: str
    title: str
    kind: str
    x_label: str
    y_label: str
    x: list[str]
    y: list[float]


class ChartRenderer(Protocol):
    def render(self, chart: ChartSeries, image_format: str) -> bytes:
        """``image_format``: ``svg`` or ``png``."""

    def vega_lite(self, chart: ChartSeries) -> dict[str, Any]: ...


class TrackedEvent(msgspec.Struct, frozen=True, kw_only=True):
    """What product analytics receives: a pseudonymous id and no personal data."""

    insert_id: str
    distinct_id: str
    name: str
    time: float
    properties: dict[str, str | int | float | bool | None]


class ProductAnalytics(Protocol):
    """Mixpanel (distributed) or nothing (embedded, tests that do not ask)."""

    async def forward(self, event: TrackedEvent) -> None: ...


class LiveCounts(msgspec.Struct, frozen=True, kw_only=True):
    """``active_learners``: learners with a learning event in the last 15 minutes;
    ``labs_running``: lab sessions requested in the last day and not ended."""

    active_learners: int
    labs_running: int
    at: datetime


class LiveFeed(Protocol):
    """Live counters fanned out to every process serving the admins' stream: Redis
    Pub/Sub (distributed), in process (embedded, tests)."""

    async def announce(self, counts: LiveCounts) -> None: ...

    def updates(self) -> AsyncIterator[LiveCounts]:
        """Every count announced from now on, until the caller stops iterating."""
