"""Events published by the Labs context.

Every session event travels on ``labs.session`` keyed by the session id, so one
session's story stays ordered. Money is a decimal string of USD (``"1.25"``) and a
duration whole seconds, so no consumer rounds a float.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from cmh.contracts.events.base import IntegrationEvent

SESSION_TOPIC = "labs.session"


class LabSessionRequestedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "lab.session_requested"
    TOPIC: ClassVar[str] = SESSION_TOPIC
    session_id: str
    user_id: str
    template_id: str
    course_id: str | None
    lesson_id: str | None
    provider: str
    region: str
    requested_at: datetime


class LabStatusChangedV1(IntegrationEvent, frozen=True, kw_only=True):
    """A move of the session's state machine (requested, provisioning, ready, expiring,
    tearing_down, quarantined, ended, failed), with its reason. An expiry warning is a
    ``ready -> ready`` change with the reason ``expiry_warning`` and ``expires_at``."""

    TYPE: ClassVar[str] = "lab.status_changed"
    TOPIC: ClassVar[str] = SESSION_TOPIC
    session_id: str
    user_id: str
    template_id: str
    from_status: str
    to_status: str
    reason: str
    expires_at: datetime | None = None
    changed_at: datetime


class LabTaskValidatedV1(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "lab.task_validated"
    TOPIC: ClassVar[str] = SESSION_TOPIC
    session_id: str
    user_id: str
    template_id: str
    passed_task_ids: list[str]
    score: int
    max_score: int
    validated_at: datetime


class LabSessionEndedV1(IntegrationEvent, frozen=True, kw_only=True):
    """Once per session, when it is ended or failed. ``outcome``: completed, expired,
    ended_by_learner, failed_platform or failed_learner."""

    TYPE: ClassVar[str] = "lab.session_ended"
    TOPIC: ClassVar[str] = SESSION_TOPIC
    session_id: str
    user_id: str
    template_id: str
    course_id: str | None
    duration_seconds: int
    cost_usd: str
    tasks_passed: list[str]
    outcome: str
    reason: str
    ended_at: datetime
