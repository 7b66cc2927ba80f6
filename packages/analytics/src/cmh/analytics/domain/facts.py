"""A fact: one learning event as the warehouse keeps it, whatever context sent it.

Facts are append-only and keyed by the event's id, so a redelivered event adds nothing;
every figure is computed from the set of facts (never from the order they arrived in),
so out-of-order delivery changes nothing either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ENROLLED = "enrollment.created"
ENROLLMENT_CANCELLED = "enrollment.cancelled"
LESSON_COMPLETED = "lesson.completed"
PROGRESS = "progress.updated"
COURSE_COMPLETED = "course.completed"
COURSE_PUBLISHED = "course.published"
LAB_REQUESTED = "lab.session_requested"
LAB_STATUS = "lab.status_changed"
LAB_VALIDATED = "lab.task_validated"
LAB_ENDED = "lab.session_ended"
ATTEMPT_STARTED = "attempt.started"
ATTEMPT_GRADED = "attempt.graded"
CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
PAYMENT_SUCCEEDED = "payment.succeeded"
REFUND_ISSUED = "refund.issued"
SUBSCRIPTION_CHANGED = "subscription.changed"

# What the revenue report reads: money is kept as the event's decimal string in ``attrs``
# (never in the float ``value``).
REVENUE = (PAYMENT_SUCCEEDED, REFUND_ISSUED, SUBSCRIPTION_CHANGED)

# What a learner does (the streak, time spent, "active now"); the rest is bookkeeping.
LEARNING_ACTIVITY = frozenset(
    {
        ENROLLED,
        LESSON_COMPLETED,
        PROGRESS,
        COURSE_COMPLETED,
        LAB_REQUESTED,
        LAB_VALIDATED,
        LAB_ENDED,
        ATTEMPT_STARTED,
        ATTEMPT_GRADED,
    }
)


@dataclass(frozen=True, slots=True)
class Fact:
    """``kind`` is the event type; ``user_id`` is empty for facts about no learner (a
    course published); ``value`` is the event's one measure (a percentage, a score in
    percent, seconds); ``attrs`` holds the rest (skills, template, cost, tags...)."""

    event_id: str
    kind: str
    occurred_at: datetime
    user_id: str = ""
    course_id: str | None = None
    lesson_id: str | None = None
    subject: str | None = None
    value: float = 0.0
    attrs: Mapping[str, Any] = field(default_factory=dict)
