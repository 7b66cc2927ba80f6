"""Next best course or lesson for a learner: behaviour, interests and content blended,
every item with the reasons it was chosen.

Scores add up from:
- collaborative filtering (``WEIGHT_BEHAVIOUR``): how strongly the courses the learner
  took predict a course, normalised to the strongest candidate; the reason names the
  course that predicts it most ("because you finished X" / "learners who took X took Y");
- interests (``WEIGHT_INTEREST``): a course tag or title word equal to one of the
  learner's interests ("matches your interest in kubernetes");
- content (``WEIGHT_CONTENT``): tag overlap (Jaccard) with a course the learner took;
- popularity (``WEIGHT_POPULAR``): what everyone takes, the cold start's answer.
Lessons to revisit after a failed lab check come first, whatever the scores.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from cmh.analytics.domain.events import RecommendationsUpdated
from cmh.kernel.domain_events import recorded_events

WEIGHT_BEHAVIOUR = 1.0
WEIGHT_INTEREST = 0.5
WEIGHT_CONTENT = 0.3
WEIGHT_POPULAR = 0.1
REVISIT_SCORE = 2.0


@dataclass(frozen=True, slots=True)
class CourseInfo:
    course_id: str
    title: str
    tags: frozenset[str] = frozenset()
    level: str | None = None


@dataclass(frozen=True, slots=True)
class Neighbour:
    """Collaborative filtering's answer for one candidate course."""

    score: float
    because: str  # the course the learner took that predicts it most


@dataclass(frozen=True, slots=True)
class Revisit:
    """A lesson teaching what a failed lab check tested."""

    course_id: str
    lesson_id: str
    lab: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    course_id: str
    score: float
    reasons: tuple[str, ...]
    lesson_id: str | None = None


@dataclass(frozen=True, slots=True)
class Learner:
    taken: frozenset[str]
    finished: frozenset[str]
    interests: tuple[str, ...] = ()


def _title(courses: Mapping[str, CourseInfo], course_id: str) -> str:
    info = courses.get(course_id)
    return info.title if info and info.title else course_id


def _words(info: CourseInfo) -> set[str]:
    return {t.lower() for t in info.tags} | {w.lower() for w in info.title.split()}


def recommend(
    learner: Learner,
    *,
    courses: Mapping[str, CourseInfo],
    neighbours: Mapping[str, Neighbour],
    popularity: Mapping[str, int],
    revisits: Iterable[Revisit] = (),
    limit: int = 10,
) -> list[Recommendation]:
    candidates = (set(courses) | set(neighbours) | set(popularity)) - learner.taken
    strongest = max((n.score for c, n in neighbours.items() if c in candidates), default=0.0)
    most_popular = max(popularity.values(), default=0)
    interests = {i.lower() for i in learner.interests}
    scored: list[Recommendation] = []
    for course_id in candidates:
        score = 0.0
        reasons: list[str] = []
        neighbour = neighbours.get(course_id)
        if neighbour and neighbour.score > 0 and strongest > 0:
            score += WEIGHT_BEHAVIOUR * neighbour.score / strongest
            because = _title(courses, neighbour.because)
            reasons.append(
                f"because you finished {because}"
                if neighbour.because in learner.finished
                else f"learners who took {because} took {_title(courses, course_id)}"
            )
        info = courses.get(course_id)
        if info is not None:
            matched = sorted(interests & _words(info))
            if matched:
                score += WEIGHT_INTEREST * min(1.0, len(matched) / 2)
                reasons.append(f"matches your interest in {', '.join(matched)}")
            overlap = _closest(info, learner.taken, courses)
            if overlap is not None:
                similarity, like = overlap
                score += WEIGHT_CONTENT * similarity
                reasons.append(f"covers topics like {_title(courses, like)}")
        if most_popular and popularity.get(course_id):
            score += WEIGHT_POPULAR * popularity[course_id] / most_popular
            if not reasons:
                reasons.append("popular with learners on the platform")
        if reasons:
            scored.append(Recommendation(course_id, round(score, 4), tuple(reasons)))
    scored.sort(key=lambda r: (-r.score, r.course_id))
    lessons = [
        Recommendation(
            r.course_id,
            REVISIT_SCORE,
            (f"your check in lab {r.lab} failed: this lesson teaches what it tests",),
            lesson_id=r.lesson_id,
        )
        for r in dict.fromkeys(revisits)
    ]
    return (lessons + scored)[: max(limit, 0)]


def _closest(
    info: CourseInfo, taken: Collection[str], courses: Mapping[str, CourseInfo]
) -> tuple[float, str] | None:
    best: tuple[float, str] | None = None
    for other_id in sorted(taken):
        other = courses.get(other_id)
        if other is None or not info.tags or not other.tags:
            continue
        similarity = len(info.tags & other.tags) / len(info.tags | other.tags)
        if similarity > 0 and (best is None or similarity > best[0]):
            best = (similarity, other_id)
    return best


@dataclass
class LearnerRecommendations:
    """The last recommendations a learner was told about: a change records
    ``RecommendationsUpdated``."""

    user_id: str
    items: list[Recommendation] = field(default_factory=list)
    updated_at: datetime | None = None
    events: list[object] = recorded_events()

    def refresh(self, items: list[Recommendation], now: datetime) -> bool:
        if [(i.course_id, i.lesson_id) for i in items] == [
            (i.course_id, i.lesson_id) for i in self.items
        ]:
            return False
        self.items = list(items)
        self.updated_at = now
        self.events.append(RecommendationsUpdated(self.user_id, tuple(items), now))
        return True
