"""The LabSession aggregate: one learner's lab, from request to a verified teardown.

The state machine is explicit (``EDGES``): requested -> provisioning -> ready (extending
keeps it ready with a later expiry) -> expiring -> tearing_down -> ended | failed. A
failure or an early end before or while ready goes straight to tearing_down, because
something may already exist in the cloud. A teardown whose verification still finds
resources leaves the session quarantined (never silently ended) until a retried
teardown comes back clean. Every move is kept in ``history``; ended and failed are
final, and reaching one of them records the single ``SessionEnded``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from cmh.kernel.domain_events import recorded_events
from cmh.labs.domain.checks import Grade
from cmh.labs.domain.cost import CENT
from cmh.labs.domain.errors import (
    AlreadyRunning,
    ExtensionNotAllowed,
    IllegalTransition,
    InvalidSession,
    SessionOver,
)
from cmh.labs.domain.events import (
    ExpiryWarned,
    SessionEnded,
    SessionRequested,
    StatusChanged,
    TaskValidated,
)
from cmh.labs.domain.template import CloudProvider, LabTemplate

# How long before expiry the learner is warned.
WARNING_WINDOW = timedelta(minutes=10)


class SessionStatus(StrEnum):
    REQUESTED = "requested"
    PROVISIONING = "provisioning"
    READY = "ready"
    EXPIRING = "expiring"
    TEARING_DOWN = "tearing_down"
    QUARANTINED = "quarantined"
    ENDED = "ended"
    FAILED = "failed"


class Outcome(StrEnum):
    COMPLETED = "completed"
    EXPIRED = "expired"
    ENDED_BY_LEARNER = "ended_by_learner"
    FAILED_PLATFORM = "failed_platform"
    FAILED_LEARNER = "failed_learner"


S = SessionStatus
EDGES: dict[SessionStatus, frozenset[SessionStatus]] = {
    S.REQUESTED: frozenset({S.PROVISIONING, S.TEARING_DOWN}),
    S.PROVISIONING: frozenset({S.READY, S.TEARING_DOWN}),
    S.READY: frozenset({S.READY, S.EXPIRING, S.TEARING_DOWN}),
    S.EXPIRING: frozenset({S.TEARING_DOWN}),
    S.TEARING_DOWN: frozenset({S.ENDED, S.FAILED, S.QUARANTINED}),
    S.QUARANTINED: frozenset({S.TEARING_DOWN}),
    S.ENDED: frozenset(),
    S.FAILED: frozenset(),
}
TERMINAL = frozenset({S.ENDED, S.FAILED})
# Statuses in which the session holds (or may hold) resources in the cloud.
LIVE = frozenset(set(S) - TERMINAL)


@dataclass(frozen=True)
class Transition:
    from_status: SessionStatus
    to_status: SessionStatus
    reason: str
    at: datetime


@dataclass
class LabSession:
    id: str
    user_id: str
    template_id: str
    provider: CloudProvider
    region: str
    requested_at: datetime
    budget_cap_usd: Decimal
    course_id: str | None = None
    lesson_id: str | None = None
    status: SessionStatus = SessionStatus.REQUESTED
    expires_at: datetime | None = None
    ready_at: datetime | None = None
    # When the session left ready (or gave up before it): the end of the learner's time.
    stopped_at: datetime | None = None
    ended_at: datetime | None = None
    cost_usd: Decimal = Decimal("0.00")
    extended_by: timedelta = timedelta(0)
    warned_for: datetime | None = None
    best_grade: Grade | None = None
    # Decided when the session starts to stop; final once it is ended or failed.
    outcome: Outcome | None = None
    reason: str | None = None
    history: list[Transition] = field(default_factory=list)
    # The monthly lab-hours allowance the learner had at launch: what the session's
    # consumption may go beyond, into lab-hour packs.
    allowance_hours: Decimal | None = None
    # The stored revision this copy was read at (optimistic concurrency in the stores).
    version: int = 0
    events: list[Any] = recorded_events()

    @classmethod
    def request(
        cls,
        session_id: str,
        *,
        user_id: str,
        template: LabTemplate,
        region: str,
        now: datetime,
        course_id: str | None = None,
        lesson_id: str | None = None,
        allowance_hours: Decimal | None = None,
    ) -> LabSession:
        if region not in template.allowed_regions:
            raise InvalidSession(
                f"template {template.id} does not allow {region!r}", field="region"
            )
        session = cls(
            id=session_id,
            user_id=user_id,
            template_id=template.id,
            provider=template.provider,
            region=region,
            requested_at=now,
            budget_cap_usd=template.budget_cap_usd,
            course_id=course_id,
            lesson_id=lesson_id,
            allowance_hours=allowance_hours,
        )
        session.events.append(
            SessionRequested(
                session_id,
                user_id,
                template.id,
                course_id,
                lesson_id,
                str(template.provider),
                region,
                now,
            )
        )
        return session

    @property
    def is_over(self) -> bool:
        return self.status in TERMINAL

    @property
    def tasks_passed(self) -> tuple[str, ...]:
        return self.best_grade.passed_task_ids if self.best_grade else ()

    def usable_for(self, now: datetime) -> timedelta:
        """How long the learner could work in the session (what lab hours count)."""
        if self.ready_at is None:
            return timedelta(0)
        return (self.stopped_at or now) - self.ready_at

    def _move(self, to: SessionStatus, reason: str, now: datetime) -> None:
        if to not in EDGES[self.status]:
            raise IllegalTransition(
                f"session {self.id} cannot go from {self.status} to {to} ({reason})"
            )
        # A clock behind the last transition (another worker's) does not reorder history.
        at = max(now, self.history[-1].at if self.history else self.requested_at)
        self.history.append(Transition(self.status, to, reason, at))
        self.events.append(
            StatusChanged(
                self.id, self.user_id, self.template_id, str(self.status), str(to), reason, at
            )
        )
        self.status = to
        if to in TERMINAL:
            self._record_end(at)

    def _record_end(self, at: datetime) -> None:
        self.ended_at = at
        # Every way into tearing_down decides the outcome; the fallback only guards data
        # loaded from an older shape.
        outcome = self.outcome or Outcome.FAILED_PLATFORM
        reason = self.reason or "unknown"
        self.events.append(
            SessionEnded(
                session_id=self.id,
                user_id=self.user_id,
                template_id=self.template_id,
                course_id=self.course_id,
                duration=self.usable_for(at),
                cost_usd=self.cost_usd,
                tasks_passed=self.tasks_passed,
                outcome=str(outcome),
                reason=reason,
                at=at,
            )
        )

    def _decide_end(self, outcome: Outcome, reason: str, now: datetime) -> None:
        finished = self.best_grade is not None and self.best_grade.all_passed
        if finished and outcome in (Outcome.EXPIRED, Outcome.ENDED_BY_LEARNER):
            outcome = Outcome.COMPLETED
        self.outcome, self.reason = outcome, reason
        self.stopped_at = now

    def start_provisioning(self, now: datetime) -> None:
        self._move(S.PROVISIONING, "provisioning started", now)

    def mark_ready(self, now: datetime, time_limit: timedelta) -> None:
        if time_limit <= timedelta(0):
            raise InvalidSession("a time limit is longer than zero", field="time_limit")
        self._move(S.READY, "resources provisioned", now)
        self.ready_at = self.history[-1].at
        self.expires_at = self.ready_at + time_limit

    def extend(self, by: timedelta, now: datetime, max_extension: timedelta) -> None:
        if self.status is not S.READY or self.expires_at is None:
            raise ExtensionNotAllowed(f"only a ready session can be extended; it is {self.status}")
        if by <= timedelta(0):
            raise ExtensionNotAllowed("an extension is longer than zero", field="by")
        if now >= self.expires_at:
            raise ExtensionNotAllowed("the session has already expired")
        if self.extended_by + by > max_extension:
            left = max_extension - self.extended_by
            raise ExtensionNotAllowed(f"at most {left} more can be added", field="by")
        self._move(S.READY, f"extended by {by}", now)
        self.extended_by += by
        self.expires_at += by

    def record_validation(self, grade: Grade, now: datetime) -> None:
        if self.status is not S.READY:
            raise IllegalTransition(f"only a ready session can be validated; it is {self.status}")
        if self.best_grade is None or grade.score > self.best_grade.score:
            self.best_grade = grade
        self.events.append(
            TaskValidated(
                self.id,
                self.user_id,
                self.template_id,
                grade.passed_task_ids,
                grade.score,
                grade.max_score,
                now,
            )
        )

    def accrue_cost(self, cost_so_far: Decimal, now: datetime) -> bool:
        """Take the meter's total so far (a lower reading is ignored: cost never goes
        down). Answers True when the budget cap was crossed and the session began to
        stop because of it."""
        if self.is_over:
            raise SessionOver(f"session {self.id} is {self.status}; its cost is final")
        self.cost_usd = max(self.cost_usd, cost_so_far.quantize(CENT, rounding=ROUND_HALF_UP))
        if self.cost_usd < self.budget_cap_usd:
            return False
        if self.status is S.READY:
            self.expire(now, "budget_cap")
            return True
        if self.status in (S.REQUESTED, S.PROVISIONING):
            self.fail(now, "budget_cap")
            return True
        return False

    def due_for_expiry(self, now: datetime) -> bool:
        return self.status is S.READY and self.expires_at is not None and now >= self.expires_at

    def warn_due(self, now: datetime) -> bool:
        """True once per expiry time, inside the warning window before it."""
        if self.status is not S.READY or self.expires_at is None:
            return False
        if self.warned_for == self.expires_at:
            return False
        return self.expires_at - WARNING_WINDOW <= now < self.expires_at

    def warn_expiry(self, now: datetime) -> None:
        if not self.warn_due(now) or self.expires_at is None:
            raise IllegalTransition(f"session {self.id} is not due for an expiry warning")
        self.warned_for = self.expires_at
        self.events.append(
            ExpiryWarned(self.id, self.user_id, self.template_id, self.expires_at, now)
        )

    def expire(self, now: datetime, reason: str) -> None:
        """Stop a ready session: at its time limit, at the budget cap, or forced."""
        self._move(S.EXPIRING, reason, now)
        self._decide_end(Outcome.EXPIRED, reason, self.history[-1].at)

    def end_by_learner(self, now: datetime) -> None:
        if self.status not in (S.REQUESTED, S.PROVISIONING, S.READY):
            raise IllegalTransition(f"session {self.id} is already stopping ({self.status})")
        self._move(S.TEARING_DOWN, "ended by the learner", now)
        self._decide_end(Outcome.ENDED_BY_LEARNER, "ended by the learner", self.history[-1].at)

    def fail(self, now: datetime, reason: str, *, by_learner: bool = False) -> None:
        """Give up before the session was ready; what may exist is torn down first."""
        if self.status not in (S.REQUESTED, S.PROVISIONING):
            raise IllegalTransition(f"session {self.id} cannot fail while {self.status}")
        self._move(S.TEARING_DOWN, reason, now)
        outcome = Outcome.FAILED_LEARNER if by_learner else Outcome.FAILED_PLATFORM
        self._decide_end(outcome, reason, self.history[-1].at)

    def begin_teardown(self, now: datetime) -> None:
        """From expiring, or again from quarantined once leftovers were dealt with."""
        if self.status not in (S.EXPIRING, S.QUARANTINED):
            raise IllegalTransition(f"session {self.id} is {self.status}, not stopping")
        reason = "teardown retried" if self.status is S.QUARANTINED else "teardown started"
        self._move(S.TEARING_DOWN, reason, now)

    def finish_teardown(self, leftovers: int, now: datetime) -> None:
        """``leftovers``: resources the verifying inventory still found by session tag."""
        if leftovers < 0:
            raise InvalidSession("leftovers cannot be negative", field="leftovers")
        if leftovers > 0:
            self._move(S.QUARANTINED, f"{leftovers} resources left after teardown", now)
            return
        failed = self.outcome in (Outcome.FAILED_PLATFORM, Outcome.FAILED_LEARNER)
        self._move(S.FAILED if failed else S.ENDED, "teardown verified", now)


def ensure_none_running(sessions: Iterable[LabSession], *, user_id: str, template_id: str) -> None:
    """A learner has at most one live session of a template at a time."""
    for session in sessions:
        if (session.user_id, session.template_id) == (user_id, template_id) and not session.is_over:
            raise AlreadyRunning(
                f"session {session.id} of template {template_id} is {session.status}"
            )
