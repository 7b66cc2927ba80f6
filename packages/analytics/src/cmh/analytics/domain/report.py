"""A course's report for its instructors and admins, computed from the course's facts.

- enrollments per day;
- the completion funnel: enrolled, started (a lesson completed), halfway (progress at
  least 50%), completed;
- the drop-off lesson: among learners who have not completed the course, the lesson most
  often the last one they completed;
- quiz difficulty per quiz and per skill: 1 - the mean share of points earned;
- lab cost per template: sessions, hours, dollars.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact


@dataclass(frozen=True, slots=True)
class DailyCount:
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class FunnelStep:
    step: str
    learners: int


@dataclass(frozen=True, slots=True)
class DropOff:
    lesson_id: str
    learners: int


@dataclass(frozen=True, slots=True)
class Difficulty:
    item: str  # a quiz id or a skill
    kind: str  # "quiz" or "skill"
    attempts: int
    mean_percent: float
    difficulty: float
    pass_rate: float | None


@dataclass(frozen=True, slots=True)
class LabCost:
    template_id: str
    sessions: int
    hours: float
    cost_usd: str


@dataclass(frozen=True, slots=True)
class CourseReport:
    course_id: str
    title: str | None
    enrollments: list[DailyCount]
    funnel: list[FunnelStep]
    drop_off: DropOff | None
    quiz_difficulty: list[Difficulty]
    lab_costs: list[LabCost]


def enrollments_per_day(found: Iterable[Fact]) -> list[DailyCount]:
    days = Counter(f.occurred_at.date() for f in found if f.kind == k.ENROLLED)
    return [DailyCount(day=day, count=days[day]) for day in sorted(days)]


def funnel(found: list[Fact]) -> list[FunnelStep]:
    def learners(kind: str, at_least: float = 0.0) -> set[str]:
        return {f.user_id for f in found if f.kind == kind and f.value >= at_least}

    enrolled = learners(k.ENROLLED)
    completed = learners(k.COURSE_COMPLETED)
    # A later step implies the earlier ones, whichever events arrived.
    halfway = learners(k.PROGRESS, 50) | completed
    started = learners(k.LESSON_COMPLETED) | halfway
    enrolled |= started
    return [
        FunnelStep("enrolled", len(enrolled)),
        FunnelStep("started", len(started)),
        FunnelStep("halfway", len(halfway)),
        FunnelStep("completed", len(completed)),
    ]


def drop_off(found: list[Fact]) -> DropOff | None:
    completed = {f.user_id for f in found if f.kind == k.COURSE_COMPLETED}
    last: dict[str, Fact] = {}
    for fact in found:
        if fact.kind != k.LESSON_COMPLETED or fact.user_id in completed or not fact.lesson_id:
            continue
        seen = last.get(fact.user_id)
        if seen is None or (fact.occurred_at, fact.event_id) > (seen.occurred_at, seen.event_id):
            last[fact.user_id] = fact
    if not last:
        return None
    counts = Counter(f.lesson_id for f in last.values())
    lesson, learners = min(counts.items(), key=lambda item: (-item[1], item[0] or ""))
    return DropOff(lesson_id=lesson or "", learners=learners)


def quiz_difficulty(found: list[Fact]) -> list[Difficulty]:
    graded = [f for f in found if f.kind == k.ATTEMPT_GRADED]
    per_quiz: dict[str, list[Fact]] = defaultdict(list)
    for fact in graded:
        per_quiz[str(fact.attrs.get("quiz_id", fact.subject))].append(fact)
    items = [
        Difficulty(
            item=quiz,
            kind="quiz",
            attempts=len(attempts),
            mean_percent=round(sum(f.value for f in attempts) / len(attempts), 1),
            difficulty=round(1 - sum(f.value for f in attempts) / len(attempts) / 100, 3),
            pass_rate=round(sum(bool(f.attrs.get("passed")) for f in attempts) / len(attempts), 3),
        )
        for quiz, attempts in sorted(per_quiz.items())
    ]
    shares: dict[str, list[float]] = defaultdict(list)
    for fact in graded:
        for skill in fact.attrs.get("skills", ()):
            if skill["possible"]:
                shares[skill["skill"]].append(skill["earned"] / skill["possible"])
    items += [
        Difficulty(
            item=skill,
            kind="skill",
            attempts=len(values),
            mean_percent=round(100 * sum(values) / len(values), 1),
            difficulty=round(1 - sum(values) / len(values), 3),
            pass_rate=None,
        )
        for skill, values in sorted(shares.items())
    ]
    return items


def lab_costs(found: list[Fact]) -> list[LabCost]:
    per_template: dict[str, list[Fact]] = defaultdict(list)
    for fact in found:
        if fact.kind == k.LAB_ENDED:
            per_template[str(fact.attrs.get("template_id", ""))].append(fact)
    costs = []
    for template, ended in sorted(per_template.items()):
        dollars = sum((Decimal(str(f.attrs.get("cost_usd", "0"))) for f in ended), Decimal("0"))
        costs.append(
            LabCost(
                template_id=template,
                sessions=len(ended),
                hours=round(sum(f.value for f in ended) / 3600, 2),
                cost_usd=f"{dollars:.2f}",
            )
        )
    return costs


def course_report(course_id: str, title: str | None, facts: Iterable[Fact]) -> CourseReport:
    found = [f for f in facts if f.course_id == course_id]
    return CourseReport(
        course_id=course_id,
        title=title,
        enrollments=enrollments_per_day(found),
        funnel=funnel(found),
        drop_off=drop_off(found),
        quiz_difficulty=quiz_difficulty(found),
        lab_costs=lab_costs(found),
    )
