"""The facts the Labs aggregates record (kernel ``recorded_events``); the outbox mapper
turns them into the ``lab.*`` contract events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class TemplateCreated:
    template_id: str
    owner_id: str
    provider: str
    at: datetime


@dataclass(frozen=True)
class TemplateRevised:
    template_id: str
    changed: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class SessionRequested:
    session_id: str
    user_id: str
    template_id: str
    course_id: str | None
    lesson_id: str | None
    provider: str
    region: str
    at: datetime


@dataclass(frozen=True)
class StatusChanged:
    session_id: str
    user_id: str
    template_id: str
    from_status: str
    to_status: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class TaskValidated:
    session_id: str
    user_id: str
    template_id: str
    passed_task_ids: tuple[str, ...]
    score: int
    max_score: int
    at: datetime


@dataclass(frozen=True)
class ExpiryWarned:
    session_id: str
    user_id: str
    template_id: str
    expires_at: datetime
    at: datetime


@dataclass(frozen=True)
class SessionEnded:
    session_id: str
    user_id: str
    template_id: str
    course_id: str | None
    # How long the learner could work: from ready until the session began to stop.
    duration: timedelta
    cost_usd: Decimal
    tasks_passed: tuple[str, ...]
    outcome: str
    reason: str
    at: datetime
