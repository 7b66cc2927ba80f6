"""Read models the queries answer and the controllers return as bodies."""

from __future__ import annotations

from datetime import date, datetime

import msgspec


class CourseProgressView(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    title: str | None
    percentage: int
    completed_lessons: int
    completed: bool


class SkillAverageView(msgspec.Struct, frozen=True, kw_only=True):
    skill: str
    percent: float
    attempts: int


class CertificateView(msgspec.Struct, frozen=True, kw_only=True):
    certificate_id: str
    course_id: str | None
    issued_at: datetime


class DashboardView(msgspec.Struct, frozen=True, kw_only=True):
    """``time_spent_minutes``: lab time plus active learning time (events less than 30
    minutes apart); streaks in days of learning activity (UTC)."""

    user_id: str
    time_spent_minutes: int
    current_streak_days: int
    longest_streak_days: int
    courses: list[CourseProgressView]
    lab_hours: float
    lab_cost_usd: str
    lab_sessions: int
    quiz_average_percent: float | None
    skills: list[SkillAverageView]
    certificates: list[CertificateView]


class DailyCountView(msgspec.Struct, frozen=True, kw_only=True):
    day: date
    count: int


class FunnelStepView(msgspec.Struct, frozen=True, kw_only=True):
    step: str
    learners: int


class DropOffView(msgspec.Struct, frozen=True, kw_only=True):
    lesson_id: str
    learners: int


class DifficultyView(msgspec.Struct, frozen=True, kw_only=True):
    item: str
    kind: str
    attempts: int
    mean_percent: float
    difficulty: float
    pass_rate: float | None


class LabCostView(msgspec.Struct, frozen=True, kw_only=True):
    template_id: str
    sessions: int
    hours: float
    cost_usd: str


class CourseReportView(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    title: str | None
    enrollments: list[DailyCountView]
    funnel: list[FunnelStepView]
    drop_off: DropOffView | None
    quiz_difficulty: list[DifficultyView]
    lab_costs: list[LabCostView]


class CsvDocumentView(msgspec.Struct, frozen=True, kw_only=True):
    filename: str
    content: str


class ChartView(msgspec.Struct, frozen=True, kw_only=True):
    media_type: str
    content: bytes


class ModelVersionView(msgspec.Struct, frozen=True, kw_only=True):
    """The recommendation model last trained in the background (by any process)."""

    version: int
    trained_at: datetime
    facts: int
    learners: int
    courses: int


class OverviewView(msgspec.Struct, frozen=True, kw_only=True):
    learners: int
    active_learners_7d: int
    enrollments: int
    completions: int
    lab_hours: float
    lab_cost_usd: str
    certificates: int
    facts_by_kind: dict[str, int]
    recommendation_model: ModelVersionView | None = None


class RecommendationView(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    lesson_id: str | None
    score: float
    reasons: list[str]


class PlanMonthView(msgspec.Struct, frozen=True, kw_only=True):
    """Amounts are exact decimal strings of ``currency`` (lower case, as Stripe names it)."""

    plan_id: str
    month: str
    currency: str
    payments: int
    refunds: int
    gross: str
    refunded: str
    net: str


class PlanTotalView(msgspec.Struct, frozen=True, kw_only=True):
    plan_id: str
    currency: str
    gross: str
    refunded: str
    net: str


class PlanSubscriptionsView(msgspec.Struct, frozen=True, kw_only=True):
    plan_id: str
    active: int
    seats: int


class RevenueReportView(msgspec.Struct, frozen=True, kw_only=True):
    """Revenue per plan, month (``YYYY-MM``, UTC) and currency net of refunds (a refund in
    the month it was issued, against its payment's plan; ``(unknown)`` until that payment
    arrives), totals per plan and currency, active subscriptions per plan."""

    months: list[PlanMonthView]
    totals: list[PlanTotalView]
    subscriptions: list[PlanSubscriptionsView]
