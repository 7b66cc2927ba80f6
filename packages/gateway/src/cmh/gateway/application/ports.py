"""What the gateway's use cases need from the outside."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

import msgspec

from cmh.kernel.auth.principal import Principal


class Caller(Protocol):
    @property
    def principal(self) -> Principal: ...

    @property
    def token(self) -> str: ...


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    display_name: str
    roles: list[str]
    tier: str


class EnrollmentProgress(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    course_title: str
    enrolled_at: str
    percentage: int
    completed: bool


class LearningStats(msgspec.Struct, frozen=True, kw_only=True):
    """The learner's figures from analytics (its dashboard, summed up)."""

    time_spent_minutes: int
    current_streak_days: int
    lab_hours: float
    quiz_average_percent: float | None = None


class RecommendedCourse(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    lesson_id: str | None = None
    score: float
    reasons: list[str]


class DashboardSources(Protocol):
    async def profile(self, caller: Caller) -> Profile: ...

    async def enrollments(self, caller: Caller) -> list[EnrollmentProgress]: ...

    async def learning_stats(self, caller: Caller) -> LearningStats | None:
        """None when analytics cannot answer: the rest of the dashboard still does."""

    async def recommendations(self, caller: Caller) -> list[RecommendedCourse]:
        """Empty when analytics cannot answer."""


class OpenApiSource(Protocol):
    async def documents(self) -> dict[str, dict[str, Any]]:
        """Each upstream's OpenAPI document by upstream name; unreachable ones left out."""
        ...


class DiscoveredInstance(msgspec.Struct, frozen=True):
    url: str
    weight: int = 1


class UpstreamDiscovery(Protocol):
    """Where an upstream's instances are: a static list, Kubernetes service DNS, Consul."""

    async def instances(self, upstream: str) -> list[DiscoveredInstance]:
        """The instances now; empty when the upstream has none (or is unknown)."""
        ...

    def watch(self, upstream: str) -> AsyncIterator[list[DiscoveredInstance]]:
        """The instances whenever they change (the current list first); a discovery that
        never changes ends after that."""
        ...
