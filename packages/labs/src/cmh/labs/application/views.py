"""What the use cases answer with: msgspec Structs that are also the HTTP response shapes.
Money is USD (a decimal string in JSON); durations are whole minutes."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import msgspec

from cmh.labs.application.ports import LabCredentials, SessionAccess
from cmh.labs.application.template_specs import Resource, Task, resource_of, task_of
from cmh.labs.domain.checks import Grade
from cmh.labs.domain.session import LabSession
from cmh.labs.domain.template import LabTemplate


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


class TemplateView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    owner_id: str
    title: str
    description: str
    provider: str
    level: str
    allowed_regions: list[str]
    allowed_services: list[str]
    resources: list[Resource]
    tasks: list[Task]
    time_limit_minutes: int
    max_extension_minutes: int
    budget_cap_usd: Decimal
    warm_pool_size: int
    course_id: str | None
    max_score: int
    created_at: datetime
    updated_at: datetime


def template_view(template: LabTemplate) -> TemplateView:
    return TemplateView(
        id=template.id,
        owner_id=template.owner_id,
        title=template.title,
        description=template.description,
        provider=str(template.provider),
        level=str(template.level),
        allowed_regions=list(template.allowed_regions),
        allowed_services=list(template.allowed_services),
        resources=[resource_of(spec) for spec in template.resources],
        tasks=[task_of(spec) for spec in template.tasks],
        time_limit_minutes=_minutes(template.time_limit),
        max_extension_minutes=_minutes(template.max_extension),
        budget_cap_usd=template.budget_cap_usd,
        warm_pool_size=template.warm_pool_size,
        course_id=template.course_id,
        max_score=template.max_score,
        created_at=template.created_at,
        updated_at=template.updated_at,
    )


class TaskStatusView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    points: int
    passed: bool
    # The task's hint while it has not passed.
    hint: str | None


class TransitionView(msgspec.Struct, frozen=True, kw_only=True):
    from_status: str
    to_status: str
    reason: str
    at: datetime


class CredentialsView(msgspec.Struct, frozen=True, kw_only=True):
    """Only ever answered to the session's learner."""

    access_key_id: str
    secret_access_key: str
    session_token: str
    expires_at: datetime


class LabHoursView(msgspec.Struct, frozen=True, kw_only=True):
    """``GET /api/v1/labs/hours/me``: hours as decimal strings. ``remaining_hours`` is
    what a launch may use: the month's allowance left plus the lab-hour packs left
    (packs are spent once the allowance runs out, and do not expire)."""

    period: str
    allowance_hours: str
    consumed_hours: str
    monthly_remaining_hours: str
    pack_hours: str
    remaining_hours: str


def hours_text(hours: Decimal) -> str:
    """Hours as a plain decimal string, without trailing zeros ("8.5", "10", "0")."""
    text = f"{hours:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class SessionView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    user_id: str
    template_id: str
    course_id: str | None
    lesson_id: str | None
    provider: str
    status: str
    region: str
    requested_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None
    ended_at: datetime | None
    cost_usd: Decimal
    budget_cap_usd: Decimal
    score: int
    max_score: int
    outcome: str | None
    reason: str | None
    account_id: str | None
    endpoint: str | None
    console_url: str | None
    credentials: CredentialsView | None
    tasks: list[TaskStatusView]
    history: list[TransitionView]


def task_statuses(template: LabTemplate, grade: Grade | None) -> list[TaskStatusView]:
    passed = set(grade.passed_task_ids) if grade else set()
    return [
        TaskStatusView(
            id=task.id,
            title=task.title,
            points=task.points,
            passed=task.id in passed,
            hint=None if task.id in passed else task.hint,
        )
        for task in template.tasks
    ]


def session_view(
    session: LabSession,
    template: LabTemplate,
    *,
    access: SessionAccess | None = None,
    credentials: LabCredentials | None = None,
) -> SessionView:
    return SessionView(
        id=session.id,
        user_id=session.user_id,
        template_id=session.template_id,
        course_id=session.course_id,
        lesson_id=session.lesson_id,
        provider=str(session.provider),
        status=str(session.status),
        region=session.region,
        requested_at=session.requested_at,
        ready_at=session.ready_at,
        expires_at=session.expires_at,
        ended_at=session.ended_at,
        cost_usd=session.cost_usd,
        budget_cap_usd=session.budget_cap_usd,
        score=session.best_grade.score if session.best_grade else 0,
        max_score=template.max_score,
        outcome=str(session.outcome) if session.outcome else None,
        reason=session.reason,
        account_id=access.account_id if access else None,
        endpoint=access.endpoint if access else None,
        console_url=access.console_url if access else None,
        credentials=CredentialsView(
            access_key_id=credentials.access_key_id,
            secret_access_key=credentials.secret_access_key,
            session_token=credentials.session_token,
            expires_at=credentials.expires_at,
        )
        if credentials
        else None,
        tasks=task_statuses(template, session.best_grade),
        history=[
            TransitionView(
                from_status=str(move.from_status),
                to_status=str(move.to_status),
                reason=move.reason,
                at=move.at,
            )
            for move in session.history
        ],
    )


class SessionSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    user_id: str
    template_id: str
    course_id: str | None
    provider: str
    status: str
    region: str
    requested_at: datetime
    expires_at: datetime | None
    cost_usd: Decimal
    outcome: str | None
    reason: str | None


def session_summary(session: LabSession) -> SessionSummary:
    return SessionSummary(
        id=session.id,
        user_id=session.user_id,
        template_id=session.template_id,
        course_id=session.course_id,
        provider=str(session.provider),
        status=str(session.status),
        region=session.region,
        requested_at=session.requested_at,
        expires_at=session.expires_at,
        cost_usd=session.cost_usd,
        outcome=str(session.outcome) if session.outcome else None,
        reason=session.reason,
    )


class ValidationView(msgspec.Struct, frozen=True, kw_only=True):
    session_id: str
    score: int
    max_score: int
    # The best score of the session so far (what the session keeps).
    best_score: int
    tasks: list[TaskStatusView]


def validation_view(session: LabSession, grade: Grade) -> ValidationView:
    return ValidationView(
        session_id=session.id,
        score=grade.score,
        max_score=grade.max_score,
        best_score=session.best_grade.score if session.best_grade else grade.score,
        tasks=[
            TaskStatusView(
                id=result.task_id,
                title=result.title,
                points=result.points,
                passed=result.passed,
                hint=result.hint,
            )
            for result in grade.tasks
        ],
    )


class CostLine(msgspec.Struct, frozen=True, kw_only=True):
    # The course or template id; None groups the sessions launched outside a course.
    key: str | None
    sessions: int
    cost_usd: Decimal


class CostReport(msgspec.Struct, frozen=True, kw_only=True):
    group_by: str
    lines: list[CostLine]
    total_usd: Decimal


class ReaperReport(msgspec.Struct, frozen=True, kw_only=True):
    """What one pass of the reaper did (session ids), and the cost it metered in that pass
    per cloud provider (what the operators' lab cost per hour adds up)."""

    warned: list[str]
    expired: list[str]
    capped: list[str]
    metered_usd: dict[str, Decimal] = {}


class ReconcileReport(msgspec.Struct, frozen=True, kw_only=True):
    torn_down: list[str]


class WarmPoolView(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    title: str
    size: int
    ready: int
    provisioning: int


class WarmPoolReport(msgspec.Struct, frozen=True, kw_only=True):
    """What a warm-pool pass queued: environments to provision and to discard."""

    provisioning: list[str]
    discarded: list[str]
