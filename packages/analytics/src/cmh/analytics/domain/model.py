"""When the recommendation model is trained again: after enough new facts, or once it is
old and anything at all arrived since. Pure: the caller passes the time and the counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MODEL_TRAINED = "recommendations.model_trained"


@dataclass(frozen=True, slots=True)
class ModelVersion:
    """``facts``: how many facts the warehouse held when it was trained."""

    version: int
    trained_at: datetime
    facts: int
    learners: int
    courses: int


@dataclass(frozen=True, slots=True)
class RetrainPolicy:
    min_new_facts: int = 1000
    max_age: timedelta = timedelta(hours=1)


def should_retrain(
    current: ModelVersion | None, facts_now: int, now: datetime, policy: RetrainPolicy
) -> bool:
    if current is None:
        return facts_now > 0
    new = facts_now - current.facts
    if new >= policy.min_new_facts:
        return True
    return new > 0 and now - current.trained_at >= policy.max_age
