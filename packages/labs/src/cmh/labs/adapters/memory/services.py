"""Stand-ins for what Labs asks of other contexts (users' allowance, courses' enrollments
and lab lessons), for the memory profile and tests. Tests reach them by their own types
to arrange answers."""

from __future__ import annotations

from decimal import Decimal

from cmh.labs.application.ports import LabAllowance

# What users gives a free learner (see cmh.users.domain.tier): beginner labs, 2 h a month.
FREE_LEVELS = frozenset({"beginner"})
FREE_HOURS = Decimal(2)
ALL_LEVELS = frozenset({"beginner", "intermediate", "advanced"})


class MemoryEntitlements:
    """Unknown users are free and active."""

    def __init__(self) -> None:
        self.allowances: dict[str, LabAllowance] = {}

    def grant(
        self,
        user_id: str,
        *,
        tier: str = "pro",
        levels: frozenset[str] = ALL_LEVELS,
        hours: Decimal = Decimal(20),
        active: bool = True,
    ) -> None:
        self.allowances[user_id] = LabAllowance(
            user_id=user_id, tier=tier, levels=levels, lab_hours_per_month=hours, active=active
        )

    async def of(self, user_id: str) -> LabAllowance:
        return self.allowances.get(user_id) or LabAllowance(
            user_id=user_id,
            tier="free",
            levels=FREE_LEVELS,
            lab_hours_per_month=FREE_HOURS,
            active=True,
        )


class MemoryEnrollments:
    def __init__(self) -> None:
        self.enrolled: set[tuple[str, str]] = set()
        self.lab_lessons: dict[tuple[str, str], str] = {}

    def enroll(self, user_id: str, course_id: str) -> None:
        self.enrolled.add((user_id, course_id))

    def add_lab_lesson(self, course_id: str, lesson_id: str, template_id: str) -> None:
        self.lab_lessons[(course_id, lesson_id)] = template_id

    async def is_enrolled(self, user_id: str, course_id: str) -> bool:
        return (user_id, course_id) in self.enrolled

    async def lab_template_of(self, course_id: str, lesson_id: str) -> str | None:
        return self.lab_lessons.get((course_id, lesson_id))
