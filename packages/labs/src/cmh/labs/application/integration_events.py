"""The one place domain events of Labs become ``lab.*`` contract events: ``LABS_EVENTS``,
the map the unit of work applies at commit to what the aggregates it tracks recorded."""

from __future__ import annotations

from typing import Any

from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.labs import (
    LabSessionEndedV1,
    LabSessionRequestedV1,
    LabStatusChangedV1,
    LabTaskValidatedV1,
)
from cmh.kernel.event_mapping import EventMap, Outgoing
from cmh.labs.domain.events import (
    ExpiryWarned,
    SessionEnded,
    SessionRequested,
    StatusChanged,
    TaskValidated,
    TemplateCreated,
    TemplateRevised,
)

# The reason of the status change that carries an expiry warning (the session stays ready).
EXPIRY_WARNING = "expiry_warning"


def to_contracts(event: Any) -> tuple[IntegrationEvent, str] | None:
    """The contract event of a domain event and its subject (the session id); None for
    facts that stay inside Labs (template authoring)."""
    match event:
        case SessionRequested():
            return LabSessionRequestedV1(
                session_id=event.session_id,
                user_id=event.user_id,
                template_id=event.template_id,
                course_id=event.course_id,
                lesson_id=event.lesson_id,
                provider=event.provider,
                region=event.region,
                requested_at=event.at,
            ), event.session_id
        case StatusChanged():
            return LabStatusChangedV1(
                session_id=event.session_id,
                user_id=event.user_id,
                template_id=event.template_id,
                from_status=event.from_status,
                to_status=event.to_status,
                reason=event.reason,
                changed_at=event.at,
            ), event.session_id
        case ExpiryWarned():
            return LabStatusChangedV1(
                session_id=event.session_id,
                user_id=event.user_id,
                template_id=event.template_id,
                from_status="ready",
                to_status="ready",
                reason=EXPIRY_WARNING,
                expires_at=event.expires_at,
                changed_at=event.at,
            ), event.session_id
        case TaskValidated():
            return LabTaskValidatedV1(
                session_id=event.session_id,
                user_id=event.user_id,
                template_id=event.template_id,
                passed_task_ids=list(event.passed_task_ids),
                score=event.score,
                max_score=event.max_score,
                validated_at=event.at,
            ), event.session_id
        case SessionEnded():
            return LabSessionEndedV1(
                session_id=event.session_id,
                user_id=event.user_id,
                template_id=event.template_id,
                course_id=event.course_id,
                duration_seconds=int(event.duration.total_seconds()),
                cost_usd=str(event.cost_usd),
                tasks_passed=list(event.tasks_passed),
                outcome=event.outcome,
                reason=event.reason,
                ended_at=event.at,
            ), event.session_id
    return None


def _outgoing(event: Any) -> Outgoing | None:
    mapped = to_contracts(event)
    return Outgoing(*mapped) if mapped is not None else None


LABS_EVENTS = EventMap(
    dict.fromkeys(
        (
            TemplateCreated,
            TemplateRevised,
            SessionRequested,
            StatusChanged,
            ExpiryWarned,
            TaskValidated,
            SessionEnded,
        ),
        _outgoing,
    )
)
