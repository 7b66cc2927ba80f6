"""A course report checked against numbers worked out by hand from a small fixture."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.report import DailyCount, DropOff, FunnelStep, LabCost, course_report

DAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
C = "course-aws"
_ids = iter(range(1000))


def fact(
    kind: str,
    user: str,
    at: datetime,
    *,
    course_id: str = C,
    lesson_id: str | None = None,
    value: float = 0.0,
    attrs: dict[str, Any] | None = None,
) -> Fact:
    return Fact(
        event_id=f"e{next(_ids)}",
        kind=kind,
        occurred_at=at,
        user_id=user,
        course_id=course_id,
        lesson_id=lesson_id,
        value=value,
        attrs=attrs or {},
    )


def graded(
    user: str, quiz: str, percent: int, passed: bool, skills: list[tuple[str, int, int]]
) -> Fact:
    return fact(
        k.ATTEMPT_GRADED,
        user,
        DAY,
        value=float(percent),
        attrs={
            "quiz_id": quiz,
            "passed": passed,
            "skills": [{"skill": s, "earned": e, "possible": p} for s, e, p in skills],
        },
    )


# ann: enrolled day 0, lessons l1 l2 l3, progress 100, completed.
# bob: enrolled day 0, lessons l1 l2, progress 66 (halfway), stopped at l2.
# cid: enrolled day 1, lesson l1 only, progress 33, stopped at l1.
# dan: enrolled day 1, nothing else. eve: enrolled day 3 in another course (not counted).
FIXTURE = [
    fact(k.ENROLLED, "ann", DAY),
    fact(k.ENROLLED, "bob", DAY + timedelta(hours=3)),
    fact(k.ENROLLED, "cid", DAY + timedelta(days=1)),
    fact(k.ENROLLED, "dan", DAY + timedelta(days=1, hours=2)),
    fact(k.ENROLLED, "eve", DAY + timedelta(days=3), course_id="course-gcp"),
    *[
        fact(k.LESSON_COMPLETED, "ann", DAY + timedelta(hours=h), lesson_id=lesson)
        for h, lesson in ((1, "l1"), (2, "l2"), (3, "l3"))
    ],
    fact(k.LESSON_COMPLETED, "bob", DAY + timedelta(hours=4), lesson_id="l1"),
    fact(k.LESSON_COMPLETED, "bob", DAY + timedelta(hours=5), lesson_id="l2"),
    fact(k.LESSON_COMPLETED, "cid", DAY + timedelta(days=1, hours=1), lesson_id="l1"),
    fact(k.PROGRESS, "ann", DAY, value=100.0),
    fact(k.PROGRESS, "bob", DAY, value=66.0),
    fact(k.PROGRESS, "cid", DAY, value=33.0),
    fact(k.COURSE_COMPLETED, "ann", DAY + timedelta(hours=3)),
    # quiz q1: ann 80 (pass), bob 40 (fail), cid 60 (pass) -> mean 60, difficulty 0.4, pass 2/3
    graded("ann", "q1", 80, True, [("s3", 4, 5)]),
    graded("bob", "q1", 40, False, [("s3", 1, 5), ("iam", 1, 5)]),
    graded("cid", "q1", 60, True, [("s3", 3, 5)]),
    # lab: two sessions of t-s3 (1800 s + 5400 s = 2 h, 0.50 + 1.25), one of t-iam (900 s, 0.10)
    fact(k.LAB_ENDED, "ann", DAY, value=1800.0, attrs={"template_id": "t-s3", "cost_usd": "0.50"}),
    fact(k.LAB_ENDED, "bob", DAY, value=5400.0, attrs={"template_id": "t-s3", "cost_usd": "1.25"}),
    fact(k.LAB_ENDED, "cid", DAY, value=900.0, attrs={"template_id": "t-iam", "cost_usd": "0.10"}),
]


def test_the_report_matches_the_hand_computed_numbers() -> None:
    report = course_report(C, "AWS", FIXTURE)
    assert report.enrollments == [DailyCount(date(2026, 3, 2), 2), DailyCount(date(2026, 3, 3), 2)]
    assert report.funnel == [
        FunnelStep("enrolled", 4),
        FunnelStep("started", 3),
        FunnelStep("halfway", 2),
        FunnelStep("completed", 1),
    ]
    # bob stopped after l2, cid after l1: one each, ties broken by lesson id.
    assert report.drop_off == DropOff("l1", 1)
    quiz = next(d for d in report.quiz_difficulty if d.kind == "quiz")
    assert (quiz.item, quiz.attempts, quiz.mean_percent, quiz.difficulty, quiz.pass_rate) == (
        "q1",
        3,
        60.0,
        0.4,
        0.667,
    )
    skills = {d.item: d for d in report.quiz_difficulty if d.kind == "skill"}
    # s3: 4/5, 1/5, 3/5 -> mean share 8/15 = 0.533 -> difficulty 0.467; iam: 1/5 -> 0.8
    assert (skills["s3"].mean_percent, skills["s3"].difficulty) == (53.3, 0.467)
    assert skills["iam"].difficulty == 0.8
    assert report.lab_costs == [LabCost("t-iam", 1, 0.25, "0.10"), LabCost("t-s3", 2, 2.0, "1.75")]


def test_arrival_order_changes_nothing() -> None:
    assert course_report(C, "AWS", list(reversed(FIXTURE))) == course_report(C, "AWS", FIXTURE)


def test_a_later_step_counts_the_earlier_ones_even_if_their_events_are_missing() -> None:
    only_completed = [fact(k.COURSE_COMPLETED, "zed", DAY)]
    assert [s.learners for s in course_report(C, None, only_completed).funnel] == [1, 1, 1, 1]
