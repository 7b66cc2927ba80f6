"""Recommendations for one learner, from the warehouse's facts, the learner's interests
and the collaborative filter (``domain.recommendations`` blends and explains)."""

from __future__ import annotations

from collections import Counter, defaultdict

from cmh.analytics.application.ports import CollaborativeFilter, FactWarehouse, LearnerProfiles
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact
from cmh.analytics.domain.recommendations import (
    CourseInfo,
    Learner,
    Recommendation,
    Revisit,
    recommend,
)

FINISHED_WEIGHT = 2.0
ENROLLED_WEIGHT = 1.0
WEAK_SKILL_SHARE = 0.6
BEHAVIOUR = (k.ENROLLED, k.COURSE_COMPLETED)


def catalog(published: list[Fact]) -> dict[str, CourseInfo]:
    courses: dict[str, CourseInfo] = {}
    for fact in sorted(published, key=lambda f: f.occurred_at):
        if fact.course_id:
            courses[fact.course_id] = CourseInfo(
                course_id=fact.course_id,
                title=str(fact.attrs.get("title", fact.course_id)),
                tags=frozenset(str(t).lower() for t in fact.attrs.get("tags", ())),
                level=fact.attrs.get("level"),
            )
    return courses


def baskets(behaviour: list[Fact]) -> dict[str, dict[str, float]]:
    taken: dict[str, dict[str, float]] = defaultdict(dict)
    for fact in behaviour:
        if fact.user_id and fact.course_id:
            weight = FINISHED_WEIGHT if fact.kind == k.COURSE_COMPLETED else ENROLLED_WEIGHT
            taken[fact.user_id][fact.course_id] = max(
                weight, taken[fact.user_id].get(fact.course_id, 0.0)
            )
    return dict(taken)


def revisits(mine: list[Fact], everyone_labs: list[Fact]) -> list[Revisit]:
    """Lessons to revisit after a failed lab check: the lesson the lab belongs to, and the
    quiz lessons of that course on skills the learner scores weakly in."""
    failed = {
        str(f.attrs.get("template_id"))
        for f in mine
        if (f.kind == k.LAB_VALIDATED and f.value < 100)
        or (f.kind == k.LAB_ENDED and f.attrs.get("outcome") == "failed_learner")
    }
    passed = {
        str(f.attrs.get("template_id"))
        for f in mine
        if f.kind == k.LAB_VALIDATED and f.value >= 100
    }
    found: list[Revisit] = []
    for template in sorted(failed - passed):
        homes = {
            (f.course_id, f.lesson_id)
            for f in everyone_labs
            if f.kind == k.LAB_REQUESTED
            and f.attrs.get("template_id") == template
            and f.course_id
            and f.lesson_id
        }
        found += [Revisit(c, lesson, template) for c, lesson in sorted(homes) if c and lesson]
        courses = {c for c, _ in homes if c}
        weak = _weak_skill_lessons(mine, courses)
        found += [Revisit(c, lesson, template) for c, lesson in weak]
    return found


def _weak_skill_lessons(mine: list[Fact], courses: set[str]) -> list[tuple[str, str]]:
    earned: Counter[tuple[str, str, str]] = Counter()
    possible: Counter[tuple[str, str, str]] = Counter()
    for fact in mine:
        if fact.kind != k.ATTEMPT_GRADED or fact.course_id not in courses or not fact.lesson_id:
            continue
        for skill in fact.attrs.get("skills", ()):
            key = (fact.course_id or "", fact.lesson_id, skill["skill"])
            earned[key] += skill["earned"]
            possible[key] += skill["possible"]
    return sorted(
        {
            (c, lesson)
            for (c, lesson, s), p in possible.items()
            if p and earned[(c, lesson, s)] / p < WEAK_SKILL_SHARE
        }
    )


class RecommendationEngine:
    def __init__(
        self,
        warehouse: FactWarehouse,
        profiles: LearnerProfiles,
        collaborative: CollaborativeFilter,
    ) -> None:
        self._warehouse = warehouse
        self._profiles = profiles
        self._collaborative = collaborative

    async def for_learner(
        self, user_id: str, limit: int, *, with_profile: bool = True
    ) -> list[Recommendation]:
        behaviour = await self._warehouse.of_kinds(BEHAVIOUR)
        courses = catalog(await self._warehouse.of_kinds((k.COURSE_PUBLISHED,)))
        taken = baskets(behaviour)
        mine = await self._warehouse.of_user(user_id)
        labs = await self._warehouse.of_kinds((k.LAB_REQUESTED,))
        learner = Learner(
            taken=frozenset(taken.get(user_id, {})),
            finished=frozenset(
                c for c, w in taken.get(user_id, {}).items() if w >= FINISHED_WEIGHT
            ),
            interests=await self._profiles.interests(user_id) if with_profile else (),
        )
        popularity = Counter(c for basket in taken.values() for c in basket)
        return recommend(
            learner,
            courses=courses,
            neighbours=self._collaborative.neighbours(taken, user_id),
            popularity=popularity,
            revisits=revisits(mine, labs),
            limit=limit,
        )
