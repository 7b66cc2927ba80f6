"""Subscription tiers and what each one entitles a learner to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from cmh.kernel.errors import InvalidInput


class Tier(StrEnum):
    FREE = "free"
    PRO = "pro"
    TEAM = "team"

    @classmethod
    def parse(cls, raw: str, *, field: str = "tier") -> Tier:
        try:
            return cls(raw)
        except ValueError:
            choices = ", ".join(tier.value for tier in cls)
            raise InvalidInput(f"unknown tier {raw!r}; one of {choices}", field=field) from None


class CourseLevel(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


@dataclass(frozen=True, slots=True)
class Entitlements:
    course_levels: frozenset[CourseLevel]
    lab_hours_per_month: int

    def allows_course_level(self, level: CourseLevel) -> bool:
        return level in self.course_levels


ENTITLEMENTS: Mapping[Tier, Entitlements] = MappingProxyType(
    {
        Tier.FREE: Entitlements(frozenset({CourseLevel.BEGINNER}), lab_hours_per_month=2),
        Tier.PRO: Entitlements(frozenset(CourseLevel), lab_hours_per_month=20),
        Tier.TEAM: Entitlements(frozenset(CourseLevel), lab_hours_per_month=60),
    }
)


def entitlements_of(tier: Tier) -> Entitlements:
    return ENTITLEMENTS[tier]
