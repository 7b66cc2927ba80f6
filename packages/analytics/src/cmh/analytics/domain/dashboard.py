"""A learner's dashboard, computed from their facts alone (order of arrival ignored).

Time spent is what the events show: lab sessions' durations, plus the gaps between two
learning events of the learner closer than ``ACTIVE_GAP`` (a reading or quiz session);
a longer gap is a break and counts nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact

ACTIVE_GAP = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class CourseProgress:
    course_id: str
    title: str | None
    percentage: int
    completed_lessons: int
    completed: bool


@dataclass(frozen=True, slots=True)
class SkillAverage:
    skill: str
    percent: float
    attempts: int


@dataclass(frozen=True, slots=True)
class EarnedCertificate:
    certificate_id: str
    course_id: str | None
    issued_at: datetime


@dataclass(frozen=True, slots=True)
class LearnerStats:
    user_id: str
    time_spent_minutes: int
    current_streak_days: int
    longest_streak_days: int
    courses: list[CourseProgress]
    lab_hours: float
    lab_cost_usd: str
    lab_sessions: int
    quiz_average_percent: float | None
    skills: list[SkillAverage]
    certificates: list[EarnedCertificate]


def active_minutes(moments: Iterable[datetime]) -> int:
    ordered = sorted(moments)
    active = sum(
        (later - earlier for earlier, later in pairwise(ordered) if later - earlier <= ACTIVE_GAP),
        timedelta(),
    )
    return int(active.total_seconds() // 60)


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest): runs of consecutive active days; the current run ends today or
    yesterday (today is not over yet)."""
    active = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in active:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and today - previous <= timedelta(days=1) else 0
    return current, longest


def skill_averages(graded: Iterable[Fact]) -> list[SkillAverage]:
    earned: dict[str, int] = defaultdict(int)
    possible: dict[str, int] = defaultdict(int)
    attempts: dict[str, int] = defaultdict(int)
    for fact in graded:
        for skill in fact.attrs.get("skills", ()):
            earned[skill["skill"]] += int(skill["earned"])
            possible[skill["skill"]] += int(skill["possible"])
            attempts[skill["skill"]] += 1
    return [
        SkillAverage(skill=s, percent=round(100 * earned[s] / possible[s], 1), attempts=attempts[s])
        for s in sorted(possible)
        if possible[s]
    ]


def learner_stats(
    user_id: str, facts: Iterable[Fact], titles: dict[str, str], today: date
) -> LearnerStats:
    mine = [f for f in facts if f.user_id == user_id]
    learning = [f for f in mine if f.kind in k.LEARNING_ACTIVITY]
    current, longest = streaks((f.occurred_at.date() for f in learning), today)

    by_course: dict[str, list[Fact]] = defaultdict(list)
    for fact in mine:
        if fact.course_id and fact.kind in {
            k.ENROLLED,
            k.LESSON_COMPLETED,
            k.PROGRESS,
            k.COURSE_COMPLETED,
        }:
            by_course[fact.course_id].append(fact)
    courses = [
        CourseProgress(
            course_id=course_id,
            title=titles.get(course_id),
            # Progress only grows (a lesson is not un-completed): the highest one seen
            # is the latest, whatever order the events arrived in.
            percentage=100
            if any(f.kind == k.COURSE_COMPLETED for f in found)
            else int(max((f.value for f in found if f.kind == k.PROGRESS), default=0)),
            completed_lessons=len({f.lesson_id for f in found if f.kind == k.LESSON_COMPLETED}),
            completed=any(f.kind == k.COURSE_COMPLETED for f in found),
        )
        for course_id, found in sorted(by_course.items())
    ]
    labs = [f for f in mine if f.kind == k.LAB_ENDED]
    lab_seconds = sum(f.value for f in labs)
    lab_cost = sum((Decimal(str(f.attrs.get("cost_usd", "0"))) for f in labs), Decimal("0"))
    graded = [f for f in mine if f.kind == k.ATTEMPT_GRADED]
    revoked = {f.subject for f in mine if f.kind == k.CERTIFICATE_REVOKED}
    certificates = [
        EarnedCertificate(
            certificate_id=f.subject or "", course_id=f.course_id, issued_at=f.occurred_at
        )
        for f in sorted(mine, key=lambda f: f.occurred_at)
        if f.kind == k.CERTIFICATE_ISSUED and f.subject not in revoked
    ]
    return LearnerStats(
        user_id=user_id,
        time_spent_minutes=active_minutes(f.occurred_at for f in learning if f.kind != k.LAB_ENDED)
        + int(lab_seconds // 60),
        current_streak_days=current,
        longest_streak_days=longest,
        courses=courses,
        lab_hours=round(lab_seconds / 3600, 2),
        lab_cost_usd=f"{lab_cost:.2f}",
        lab_sessions=len(labs),
        quiz_average_percent=(
            round(sum(f.value for f in graded) / len(graded), 1) if graded else None
        ),
        skills=skill_averages(graded),
        certificates=certificates,
    )
